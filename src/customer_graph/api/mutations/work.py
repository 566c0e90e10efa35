"""Work orders at a customer's sites (only for active customers) and their tasks."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry import relay

from customer_graph.api.context import Info
from customer_graph.api.mutations import crud
from customer_graph.api.mutations.common import InputId, UserError, run_mutation
from customer_graph.api.mutations.crud import UNSET, attributes, key
from customer_graph.api.permissions import payload_read
from customer_graph.api.types.field_service import Task, WorkOrder
from customer_graph.db.engine import Transaction
from customer_graph.db.enums import TaskStatus, WorkOrderStatus
from customer_graph.domain import work
from customer_graph.domain.permissions import Actor
from customer_graph.domain.record_writes import Written
from customer_graph.domain.work import WORK_ORDERS


@strawberry.input(description="Fields of a work order; omit a field to leave it as it is.")
class WorkOrderAttributes:
    description: str | None = UNSET
    status: WorkOrderStatus | None = strawberry.field(
        default=UNSET, description="Defaults to OPEN."
    )
    scheduled_on: date | None = UNSET


@crud.creates(WORK_ORDERS)
@strawberry.input(description="New field work at one of an active customer's sites.")
class CreateWorkOrderInput(WorkOrderAttributes):
    customer_id: InputId
    site_id: InputId = strawberry.field(description="One of the customer's own sites.")
    title: str
    number: str | None = strawberry.field(
        default=UNSET, description="Unique. Omit it to get the next free WO-number."
    )


@crud.updates(WORK_ORDERS)
@strawberry.input
class UpdateWorkOrderInput(WorkOrderAttributes):
    id: InputId
    site_id: InputId | None = strawberry.field(
        default=UNSET, description="One of the customer's own sites."
    )
    title: str | None = UNSET
    number: str | None = strawberry.field(default=UNSET, description="Unique.")


@strawberry.input(description="Its tasks are removed with it.")
class RemoveWorkOrderInput:
    id: InputId


@strawberry.type
class WorkOrderPayload:
    work_order: WorkOrder | None = payload_read()
    user_errors: list[UserError]


@strawberry.type
class RemoveWorkOrderPayload:
    removed_work_order_id: relay.GlobalID | None
    user_errors: list[UserError]


@strawberry.input(description="Fields of a task; omit a field to leave it as it is.")
class TaskAttributes:
    status: TaskStatus | None = strawberry.field(default=UNSET, description="Defaults to OPEN.")
    due_on: date | None = UNSET


@strawberry.input(description="A new step of a work order that is not done or cancelled.")
class CreateTaskInput(TaskAttributes):
    work_order_id: InputId
    title: str


@strawberry.input
class UpdateTaskInput(TaskAttributes):
    id: InputId
    title: str | None = UNSET


@strawberry.input
class RemoveTaskInput:
    id: InputId


@strawberry.type
class TaskPayload:
    task: Task | None = payload_read()
    user_errors: list[UserError]


@strawberry.type
class RemoveTaskPayload:
    removed_task_id: relay.GlobalID | None
    user_errors: list[UserError]


@strawberry.type
class WorkMutations:
    @strawberry.mutation(description="Add a work order at one of an active customer's sites.")
    async def create_work_order(self, info: Info, input: CreateWorkOrderInput) -> WorkOrderPayload:
        outcome = await crud.write(info, input)
        return WorkOrderPayload(work_order=outcome.record, user_errors=outcome.user_errors)

    @strawberry.mutation(description="Change the fields given of a work order.")
    async def update_work_order(self, info: Info, input: UpdateWorkOrderInput) -> WorkOrderPayload:
        outcome = await crud.write(info, input)
        return WorkOrderPayload(work_order=outcome.record, user_errors=outcome.user_errors)

    @strawberry.mutation(description="Remove a work order and its tasks.")
    async def remove_work_order(
        self, info: Info, input: RemoveWorkOrderInput
    ) -> RemoveWorkOrderPayload:
        outcome = await crud.remove(info, WORK_ORDERS, input)
        return RemoveWorkOrderPayload(
            removed_work_order_id=outcome.record_global_id, user_errors=outcome.user_errors
        )

    @strawberry.mutation(description="Add a task to a work order that is still open.")
    async def create_task(self, info: Info, input: CreateTaskInput) -> TaskPayload:
        async def command(session: Transaction, actor: Actor) -> Written:
            work_order_id = key(input.work_order_id, "WorkOrder", "work_order_id")
            given = attributes(input, "work_order_id")
            return await work.create_task(session, actor, work_order_id, given)

        outcome = await run_mutation(info, command, "Task")
        return TaskPayload(task=outcome.record, user_errors=outcome.user_errors)

    @strawberry.mutation(description="Change the fields given of a task.")
    async def update_task(self, info: Info, input: UpdateTaskInput) -> TaskPayload:
        async def command(session: Transaction, actor: Actor) -> Written:
            task_id = key(input.id, "Task")
            return await work.update_task(session, actor, task_id, attributes(input))

        outcome = await run_mutation(info, command, "Task")
        return TaskPayload(task=outcome.record, user_errors=outcome.user_errors)

    @strawberry.mutation(description="Remove a task from its work order.")
    async def remove_task(self, info: Info, input: RemoveTaskInput) -> RemoveTaskPayload:
        async def command(session: Transaction, actor: Actor) -> Written:
            return await work.remove_task(session, actor, key(input.id, "Task"))

        outcome = await run_mutation(info, command, "Task", read_back=False)
        return RemoveTaskPayload(
            removed_task_id=outcome.record_global_id, user_errors=outcome.user_errors
        )
