import { Alert, Button, Group } from "@mantine/core";
import type { TypedDocumentNode } from "@urql/core";
import { type ReactNode, useMemo, useState } from "react";
import { useClient } from "urql";
import { type FieldSpec, RecordFormModal, type Values } from "../../components/RecordFormModal";
import type { UserErrorValue } from "../../components/userErrors";

/** How one kind of related record is added to its parent, edited and removed. */
export interface RelatedSpec<TParent, TNode extends { id: string }, TCreate, TUpdate> {
  noun: string;
  label: (node: TNode) => string;
  fields: (parent: TParent) => FieldSpec[];
  initial: (node: TNode | null) => Values;
  toCreate: (values: Values, parent: TParent) => TCreate;
  toUpdate: (values: Values, node: TNode) => TUpdate;
  create: TypedDocumentNode<unknown, { input: TCreate }>;
  update: TypedDocumentNode<unknown, { input: TUpdate }>;
  remove: TypedDocumentNode<unknown, { input: { id: string } }>;
}

/** The userErrors of a payload, whatever the mutation's name. */
function payloadErrors(data: unknown): readonly UserErrorValue[] {
  if (data && typeof data === "object") {
    const payload = Object.values(data)[0];
    if (payload && typeof payload === "object" && "userErrors" in payload) {
      return payload.userErrors as readonly UserErrorValue[];
    }
  }
  return [];
}

const failed = (message: string): UserErrorValue[] => [{ field: null, code: "INVALID", message }];

export interface RelatedEditor<TNode> {
  modal: ReactNode;
  rowActions: (node: TNode) => ReactNode;
  addButton: ReactNode;
  error: ReactNode;
}

export function useRelatedEditor<TParent, TNode extends { id: string }, TCreate, TUpdate>(
  spec: RelatedSpec<TParent, TNode, TCreate, TUpdate>,
  parent: TParent,
  onChanged: () => void,
): RelatedEditor<TNode> {
  const client = useClient();
  const [editing, setEditing] = useState<{ node: TNode | null } | null>(null);
  const [removeError, setRemoveError] = useState<string | null>(null);
  const node = editing?.node ?? null;
  const initial = useMemo(() => spec.initial(node), [spec, node]);

  async function submit(values: Values): Promise<readonly UserErrorValue[]> {
    const outcome = node
      ? await client.mutation(spec.update, { input: spec.toUpdate(values, node) }).toPromise()
      : await client.mutation(spec.create, { input: spec.toCreate(values, parent) }).toPromise();
    if (outcome.error) return failed(outcome.error.message);
    const errors = payloadErrors(outcome.data);
    if (errors.length === 0) onChanged();
    return errors;
  }

  async function remove(target: TNode) {
    const outcome = await client.mutation(spec.remove, { input: { id: target.id } }).toPromise();
    const errors = outcome.error ? failed(outcome.error.message) : payloadErrors(outcome.data);
    setRemoveError(errors.length ? errors.map((error) => error.message).join(" ") : null);
    onChanged();
  }

  const modal = (
    <RecordFormModal
      title={node ? `Edit ${spec.label(node)}` : `Add ${spec.noun}`}
      opened={editing !== null}
      fields={spec.fields(parent)}
      initial={initial}
      onClose={() => setEditing(null)}
      onSubmit={submit}
    />
  );
  const rowActions = (target: TNode) => (
    <Group gap={4} wrap="nowrap" key="actions">
      <Button size="compact-xs" variant="subtle" onClick={() => setEditing({ node: target })}>
        Edit
      </Button>
      <Button size="compact-xs" variant="subtle" color="red" onClick={() => remove(target)}>
        Remove
      </Button>
    </Group>
  );
  const addButton = (
    <Button size="xs" mb="sm" onClick={() => setEditing({ node: null })}>
      Add {spec.noun}
    </Button>
  );
  const error = removeError && (
    <Alert color="red" role="alert" mb="sm" withCloseButton onClose={() => setRemoveError(null)}>
      {removeError}
    </Alert>
  );
  return { modal, rowActions, addButton, error };
}
