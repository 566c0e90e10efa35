"""When a project happens, relative to today."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Date, bindparam, case, type_coerce
from sqlalchemy.sql.elements import BindParameter, ColumnElement
from sqlalchemy.types import TypeEngine

from customer_graph.db.base import enum_column
from customer_graph.db.enums import ProjectPhase, ProjectStatus
from customer_graph.db.models import Project

TODAY: BindParameter[Any] = bindparam("today", type_=Date())
"""Statements that derive phases take ``today`` as a parameter, so that tests can fix it."""

CLOSED_PROJECT_STATUSES = (ProjectStatus.COMPLETED, ProjectStatus.CANCELLED)


def project_phase() -> ColumnElement[ProjectPhase]:
    """UPCOMING before its start, PAST once closed or past its end date, else ACTIVE.

    A project on hold, or still marked PLANNED once its start date has come, counts as
    ACTIVE: it is current work the customer expects.
    """
    phase = case(
        (Project.status.in_(CLOSED_PROJECT_STATUSES), ProjectPhase.PAST.value),
        (Project.end_date < TODAY, ProjectPhase.PAST.value),
        (Project.start_date > TODAY, ProjectPhase.UPCOMING.value),
        else_=ProjectPhase.ACTIVE.value,
    )
    return type_coerce(phase, cast("TypeEngine[ProjectPhase]", enum_column(ProjectPhase)))
