import { Button, Group, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import type { TypedDocumentNode } from "@urql/core";
import { type ReactNode, useMemo, useState } from "react";
import { type Client, useClient } from "urql";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { SpecFormModal } from "../../components/form/SpecFormModal";
import type { Row, Values } from "../../components/form/spec";
import type { UserErrorValue } from "../../components/userErrors";
import { friendlyError } from "../../lib/friendlyError";

/** How one kind of related record is added to its parent, edited and removed. */
export interface RelatedSpec<TParent, TNode extends { id: string }, TCreate, TUpdate> {
  noun: string;
  label: (node: TNode) => string;
  fields: (parent: TParent, node: TNode | null) => Row[];
  initial: (node: TNode | null, parent: TParent) => Values;
  toCreate: (values: Values, parent: TParent) => TCreate;
  toUpdate: (values: Values, node: TNode) => TUpdate;
  create: TypedDocumentNode<unknown, { input: TCreate }>;
  update: TypedDocumentNode<unknown, { input: TUpdate }>;
  remove: TypedDocumentNode<unknown, { input: { id: string } }>;
  /** What else removing one does, or what keeps it from being removed, said before. */
  removes?: string;
  /** The form's first values read from the server when it opens, when the rows shown
   * lack some (null: as ``initial``). */
  load?: (client: Client, node: TNode | null, parent: TParent) => Promise<Values | null>;
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

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export interface RelatedEditor<TNode> {
  modal: ReactNode;
  rowActions: (node: TNode) => ReactNode;
  addButton: ReactNode;
  /** Kept for callers that place it; failures now show in the dialog that caused them. */
  error: ReactNode;
}

export function useRelatedEditor<TParent, TNode extends { id: string }, TCreate, TUpdate>(
  spec: RelatedSpec<TParent, TNode, TCreate, TUpdate>,
  parent: TParent,
  onChanged: () => void,
): RelatedEditor<TNode> {
  const client = useClient();
  const [editing, setEditing] = useState<{ node: TNode | null; loaded: Values | null } | null>(
    null,
  );
  const [opening, setOpening] = useState<string | null>(null);
  const [removing, setRemoving] = useState<TNode | null>(null);
  const node = editing?.node ?? null;
  const initial = useMemo(
    () => editing?.loaded ?? spec.initial(node, parent),
    [spec, node, editing],
  );

  async function open(target: TNode | null) {
    let loaded: Values | null = null;
    if (spec.load) {
      setOpening(target?.id ?? "");
      try {
        loaded = await spec.load(client, target, parent);
      } finally {
        setOpening(null);
      }
    }
    setEditing({ node: target, loaded });
  }

  async function submit(values: Values): Promise<readonly UserErrorValue[]> {
    const outcome = node
      ? await client.mutation(spec.update, { input: spec.toUpdate(values, node) }).toPromise()
      : await client.mutation(spec.create, { input: spec.toCreate(values, parent) }).toPromise();
    if (outcome.error) return failed(friendlyError(outcome.error));
    const errors = payloadErrors(outcome.data);
    if (errors.length === 0) {
      notifications.show({
        message: node
          ? `${capitalized(spec.noun)} ${spec.label(node)} saved.`
          : `${capitalized(spec.noun)} added.`,
      });
      onChanged();
    }
    return errors;
  }

  async function remove(target: TNode): Promise<string | null> {
    const outcome = await client.mutation(spec.remove, { input: { id: target.id } }).toPromise();
    const errors = outcome.error
      ? failed(friendlyError(outcome.error, `${capitalized(spec.noun)} could not be removed`))
      : payloadErrors(outcome.data);
    if (errors.length) return errors.map((error) => error.message).join(" ");
    notifications.show({
      title: `${capitalized(spec.noun)} removed`,
      message: `${spec.label(target)} was removed.`,
    });
    onChanged();
    return null;
  }

  const modal = (
    <>
      <SpecFormModal
        title={node ? `Edit ${spec.noun} ${spec.label(node)}` : `Add ${spec.noun}`}
        opened={editing !== null}
        rows={spec.fields(parent, node)}
        initial={initial}
        resetKey={editing}
        onClose={() => setEditing(null)}
        onSubmit={submit}
      />
      <ConfirmDialog
        opened={removing !== null}
        title={`Remove ${spec.noun} ${removing ? spec.label(removing) : ""}?`}
        confirmLabel={`Remove ${spec.noun}`}
        onConfirm={() => (removing ? remove(removing) : Promise.resolve(null))}
        onClose={() => setRemoving(null)}
      >
        <Text>
          {removing ? spec.label(removing) : ""} will be removed for good; the customer's history
          keeps a record of it.
        </Text>
        {spec.removes && <Text>{spec.removes}</Text>}
      </ConfirmDialog>
    </>
  );
  const rowActions = (target: TNode) => (
    <Group gap={4} wrap="nowrap" key="actions">
      <Button
        size="compact-xs"
        variant="subtle"
        aria-label={`Edit ${spec.noun} ${spec.label(target)}`}
        loading={opening === target.id}
        onClick={() => open(target)}
      >
        Edit
      </Button>
      <Button
        size="compact-xs"
        variant="subtle"
        color="red"
        aria-label={`Remove ${spec.noun} ${spec.label(target)}`}
        onClick={() => setRemoving(target)}
      >
        Remove
      </Button>
    </Group>
  );
  const addButton = (
    <Button size="xs" mb="sm" loading={opening === ""} onClick={() => open(null)}>
      Add {spec.noun}
    </Button>
  );
  return { modal, rowActions, addButton, error: null };
}
