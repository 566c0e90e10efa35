"""Creating, editing and removing a customer's projects.

Their phase is derived, not stored: see ``projects.project_phase``.
"""

from __future__ import annotations

from customer_graph.db.enums import ProjectStatus
from customer_graph.db.models import Invoice, Project
from customer_graph.domain.drafts import Draft
from customer_graph.domain.parts import Part
from customer_graph.domain.record_writes import Blocker, Kind

PROJECT = Kind(Project, "Project", "project", ("name", "status", "start_date", "end_date"))


async def _clean(draft: Draft) -> None:
    draft.text("name", 200, required=True)
    draft.value("status", required=True, default=ProjectStatus.PLANNED)
    draft.value("start_date", required=True)
    draft.value("end_date")
    draft.dates_in_order("start_date", "end_date")


PROJECTS = Part(PROJECT, _clean, blockers=(Blocker("invoice", "invoices", Invoice.project_id),))
