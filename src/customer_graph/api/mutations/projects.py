"""Projects of a customer; their phase follows from their dates and status."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry import relay

from customer_graph.api.context import Info
from customer_graph.api.mutations import crud
from customer_graph.api.mutations.common import InputId, UserError
from customer_graph.api.mutations.crud import UNSET
from customer_graph.api.permissions import payload_read
from customer_graph.api.types.field_service import Project
from customer_graph.db.enums import ProjectStatus
from customer_graph.domain.project_changes import PROJECTS


@strawberry.input(description="Fields of a project; omit a field to leave it as it is.")
class ProjectAttributes:
    status: ProjectStatus | None = strawberry.field(
        default=UNSET, description="Defaults to PLANNED."
    )
    end_date: date | None = strawberry.field(
        default=UNSET, description="Not before the start date."
    )


@crud.creates(PROJECTS)
@strawberry.input(description="A new project for a customer.")
class CreateProjectInput(ProjectAttributes):
    customer_id: InputId
    name: str
    start_date: date


@crud.updates(PROJECTS)
@strawberry.input
class UpdateProjectInput(ProjectAttributes):
    id: InputId
    name: str | None = UNSET
    start_date: date | None = UNSET


@strawberry.input
class RemoveProjectInput:
    id: InputId


@strawberry.type
class ProjectPayload:
    project: Project | None = payload_read()
    user_errors: list[UserError]


@strawberry.type
class RemoveProjectPayload:
    removed_project_id: relay.GlobalID | None
    user_errors: list[UserError]


@strawberry.type
class ProjectMutations:
    @strawberry.mutation(description="Add a project for a customer.")
    async def create_project(self, info: Info, input: CreateProjectInput) -> ProjectPayload:
        outcome = await crud.write(info, input)
        return ProjectPayload(project=outcome.record, user_errors=outcome.user_errors)

    @strawberry.mutation(description="Change the fields given of a project.")
    async def update_project(self, info: Info, input: UpdateProjectInput) -> ProjectPayload:
        outcome = await crud.write(info, input)
        return ProjectPayload(project=outcome.record, user_errors=outcome.user_errors)

    @strawberry.mutation(
        description="Remove a project; refused (REFERENCED) while invoices bill it."
    )
    async def remove_project(self, info: Info, input: RemoveProjectInput) -> RemoveProjectPayload:
        outcome = await crud.remove(info, PROJECTS, input)
        return RemoveProjectPayload(
            removed_project_id=outcome.record_global_id, user_errors=outcome.user_errors
        )
