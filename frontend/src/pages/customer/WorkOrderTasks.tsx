import { Loader, Modal, Stack, Table, Text } from "@mantine/core";
import { useQuery } from "urql";
import { graphql } from "../../gql";
import type { CreateTaskInput, UpdateTaskInput, WorkOrderTasksQuery } from "../../gql/graphql";
import { humanize } from "../../lib/money";
import { type RelatedSpec, useRelatedEditor } from "./useRelatedEditor";

const WorkOrderTasksQueryDocument = graphql(`
  query WorkOrderTasks($id: ID!) {
    node(id: $id) {
      ... on WorkOrder {
        id
        number
        tasks(first: 100) { totalCount edges { node { id title status dueOn } } }
      }
    }
  }
`);

type TaskNode = Extract<
  NonNullable<WorkOrderTasksQuery["node"]>,
  { tasks: unknown }
>["tasks"]["edges"][number]["node"];

const TASK_STATUSES = ["OPEN", "IN_PROGRESS", "DONE", "CANCELLED"] as const;
const status = (value: unknown) => TASK_STATUSES.find((item) => item === value) ?? "OPEN";
const optional = (value: unknown) =>
  typeof value === "string" && value.trim() ? value.trim() : null;

const taskSpec = {
  create: graphql(`mutation CreateTask($input: CreateTaskInput!) {
    createTask(input: $input) { task { id } userErrors { field code message } } }`),
  update: graphql(`mutation UpdateTask($input: UpdateTaskInput!) {
    updateTask(input: $input) { task { id } userErrors { field code message } } }`),
  remove: graphql(`mutation RemoveTask($input: RemoveTaskInput!) {
    removeTask(input: $input) { removedTaskId userErrors { field code message } } }`),
  noun: "task",
  label: (node) => node.title,
  fields: () => [
    { name: "title", label: "Title", kind: "text", required: true },
    {
      name: "status",
      label: "Status",
      kind: "select",
      options: TASK_STATUSES.map((value) => ({ value, label: humanize(value) })),
    },
    { name: "dueOn", label: "Due on", kind: "date" },
  ],
  initial: (node) => ({
    title: node?.title ?? "",
    status: node?.status ?? "OPEN",
    dueOn: node?.dueOn ?? "",
  }),
  toCreate: (values, workOrder) => ({
    workOrderId: workOrder.id,
    title: String(values.title ?? ""),
    status: status(values.status),
    dueOn: optional(values.dueOn),
  }),
  toUpdate: (values, node) => ({
    id: node.id,
    title: String(values.title ?? ""),
    status: status(values.status),
    dueOn: optional(values.dueOn),
  }),
} satisfies RelatedSpec<{ id: string }, TaskNode, CreateTaskInput, UpdateTaskInput>;

/** The steps of one work order, each added, edited and removed in place. */
export function WorkOrderTasks({
  workOrder,
  editable,
  onClose,
  onChanged,
}: {
  workOrder: { id: string; number: string };
  editable: boolean;
  onClose: () => void;
  onChanged: () => void;
}) {
  const [result, reexecute] = useQuery({
    query: WorkOrderTasksQueryDocument,
    variables: { id: workOrder.id },
    requestPolicy: "cache-and-network",
  });
  const changed = () => {
    reexecute({ requestPolicy: "network-only" });
    onChanged();
  };
  const editor = useRelatedEditor(taskSpec, workOrder, changed);
  const node = result.data?.node;
  const tasks = node && "tasks" in node ? node.tasks.edges.map((edge) => edge.node) : [];

  return (
    <Modal opened onClose={onClose} title={`Tasks of ${workOrder.number}`} size="lg">
      <Stack>
        {editable && editor.addButton}
        {editor.error}
        {result.fetching && !result.data && <Loader aria-label="Loading tasks" />}
        {result.data && tasks.length === 0 && <Text c="dimmed">No tasks yet.</Text>}
        {tasks.length > 0 && (
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Title</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Due</Table.Th>
                {editable && <Table.Th />}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {tasks.map((task) => (
                <Table.Tr key={task.id}>
                  <Table.Td>{task.title}</Table.Td>
                  <Table.Td>{humanize(task.status)}</Table.Td>
                  <Table.Td>{task.dueOn}</Table.Td>
                  {editable && <Table.Td>{editor.rowActions(task)}</Table.Td>}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
      {editor.modal}
    </Modal>
  );
}
