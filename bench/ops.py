"""The benchmark's operations, each as ours, the floor's and PostGraphile's, and how their
answers are brought to one shape to be compared.

Ours are the documents the SPA, a partner or a BI tool sends. The floor is one
hand-written statement per operation (``floor_app.py``). PostGraphile's are the
equivalent queries on its reflection of the same tables (ordering by the same keys, the
same archive filter). Ids are compared as database ids: ours are relay global ids.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Json = Any


def db_id(global_id: str) -> int:
    return int(base64.b64decode(global_id).decode().split(":", 1)[1])


def global_id(type_name: str, key: int) -> str:
    return base64.b64encode(f"{type_name}:{key}".encode()).decode()


@dataclass
class Op:
    name: str
    what: str
    ours: str
    ours_variables: Callable[[Json], Json]
    """Variables for ours, given the first page's answer (for a cursor) or None."""
    floor: str | None
    floor_variables: Callable[[Json], Json]
    peer: str | None
    peer_variables: Callable[[Json], Json]
    normalise: dict[str, Callable[[Json], Json]] = field(default_factory=dict)
    paged: bool = False
    """Measured on the second page: the first page's answer gives each side its cursor."""
    write: bool = False
    concurrency: int = 16


# -- shapes ---------------------------------------------------------------------------------

CUSTOMER_FIELDS = "customerNumber name status email phone"
OURS_NESTED = """
  contacts(first: 20) { edges { node { id name title email phone isPrimary } } }
  sites(first: 20) { edges { node { id name status address { city }
    assets(first: 20) { edges { node { id name serialNumber status } } } } } }
  projects(first: 20) { edges { node { id name status startDate endDate } } }
"""
PEER_NESTED = """
  contacts(first: 20, orderBy: [IS_PRIMARY_DESC, NAME_ASC, ROW_ID_ASC]) {
    nodes { rowId name title email phone isPrimary } }
  sites(first: 20, orderBy: [NAME_ASC, ROW_ID_ASC]) { nodes { rowId name status city
    assets(first: 20, orderBy: [NAME_ASC, ROW_ID_ASC]) {
      nodes { rowId name serialNumber status } } } }
  projects(first: 20, orderBy: [START_DATE_DESC, ROW_ID_DESC]) {
    nodes { rowId name status startDate endDate } }
"""


def _edges(connection: Json) -> list[Json]:
    return [edge["node"] for edge in connection["edges"]]


def ours_customer(node: Json) -> Json:
    return {
        "id": db_id(node["id"]),
        "customerNumber": node["customerNumber"],
        "name": node["name"],
        "status": node["status"],
        "email": node["email"],
        "phone": node["phone"],
        "contacts": [{**c, "id": db_id(c["id"])} for c in _edges(node["contacts"])],
        "sites": [
            {
                "id": db_id(s["id"]),
                "name": s["name"],
                "status": s["status"],
                "city": s["address"]["city"],
                "assets": [{**a, "id": db_id(a["id"])} for a in _edges(s["assets"])],
            }
            for s in _edges(node["sites"])
        ],
        "projects": [{**p, "id": db_id(p["id"])} for p in _edges(node["projects"])],
    }


def _row(node: Json) -> Json:
    """PostGraphile's ``rowId`` as ``id``, recursively."""
    if isinstance(node, list):
        return [_row(item) for item in node]
    if not isinstance(node, dict):
        return node
    if set(node) == {"nodes"}:
        return _row(node["nodes"])
    return {("id" if key == "rowId" else key): _row(value) for key, value in node.items()}


def peer_customer(node: Json) -> Json:
    return _row(node)


# -- list: the SPA's customer list page -----------------------------------------------------

OURS_LIST = """query CustomersList($after: String, $before: String, $filter: CustomerFilter, $first: Int, $last: Int, $orderBy: CustomerOrder) { customers( first: $first after: $after last: $last before: $before filter: $filter orderBy: $orderBy ) { __typename edges { __typename node { __typename address { __typename city postalCode region street1 } assetSummary { __typename onLocation owned } contactTitle customerNumber email id isArchived kind manager { __typename id name } name owner { __typename id name } segment sites(first: 3) { __typename edges { __typename node { __typename id name } } totalCount } status tags } } pageInfo { __typename endCursor hasNextPage hasPreviousPage startCursor } totalCount } users(first: 100) { __typename edges { __typename node { __typename id name } } } viewer { __typename permissions } }"""  # noqa: E501

PEER_LIST = """query List($after: Cursor) {
  customers(first: 50, after: $after, orderBy: [NAME_ASC, ROW_ID_ASC],
            condition: { archivedAt: null }) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes {
      rowId kind segment name customerNumber contactTitle email status archivedAt
      street1 city region postalCode
      owner { rowId name } manager { rowId name }
      customerTags(orderBy: TAG_ASC) { nodes { tag } }
      assetsOnLocation assetsOwned
      sites(first: 3, orderBy: [NAME_ASC, ROW_ID_ASC]) { totalCount nodes { rowId name } }
    }
  }
  users(first: 100, orderBy: [NAME_ASC, ROW_ID_ASC], condition: { isActive: true }) {
    nodes { rowId name }
  }
}"""


def ours_list(data: Json) -> Json:
    rows = []
    for node in _edges(data["customers"]):
        address = node["address"]
        rows.append(
            {
                "id": db_id(node["id"]),
                "kind": node["kind"],
                "segment": node["segment"],
                "name": node["name"],
                "customerNumber": node["customerNumber"],
                "contactTitle": node["contactTitle"],
                "email": node["email"],
                "status": node["status"],
                "isArchived": node["isArchived"],
                "street1": address["street1"],
                "city": address["city"],
                "region": address["region"],
                "postalCode": address["postalCode"],
                "owner": {"id": db_id(node["owner"]["id"]), "name": node["owner"]["name"]},
                "manager": {"id": db_id(node["manager"]["id"]), "name": node["manager"]["name"]},
                "tags": node["tags"],
                "assetSummary": {
                    "onLocation": node["assetSummary"]["onLocation"],
                    "owned": node["assetSummary"]["owned"],
                },
                "sites": {
                    "totalCount": node["sites"]["totalCount"],
                    "nodes": [
                        {"id": db_id(s["id"]), "name": s["name"]} for s in _edges(node["sites"])
                    ],
                },
            }
        )
    users = [{"id": db_id(u["id"]), "name": u["name"]} for u in _edges(data["users"])]
    return {"totalCount": data["customers"]["totalCount"], "customers": rows, "users": users}


def peer_list(data: Json) -> Json:
    rows = []
    for node in data["customers"]["nodes"]:
        row = _row({k: v for k, v in node.items() if k not in ("customerTags", "sites")})
        row["isArchived"] = row.pop("archivedAt") is not None
        row["assetSummary"] = {
            "onLocation": row.pop("assetsOnLocation"),
            "owned": row.pop("assetsOwned"),
        }
        row["tags"] = [t["tag"] for t in node["customerTags"]["nodes"]]
        row["sites"] = {
            "totalCount": node["sites"]["totalCount"],
            "nodes": _row(node["sites"]["nodes"]),
        }
        rows.append(row)
    return {
        "totalCount": data["customers"]["totalCount"],
        "customers": rows,
        "users": _row(data["users"]["nodes"]),
    }


def _without_page_info(data: Json) -> Json:
    return data


# -- detail and partner ---------------------------------------------------------------------

DETAIL_CUSTOMER = 42

OURS_DETAIL = f"""query Detail($id: ID!) {{
  customer(id: $id) {{ id {CUSTOMER_FIELDS} {OURS_NESTED} }}
}}"""
PEER_DETAIL = f"""query Detail($id: Int!) {{
  customer(rowId: $id) {{ rowId {CUSTOMER_FIELDS} {PEER_NESTED} }}
}}"""

OURS_PARTNER = f"""query Partner($after: String) {{
  customers(first: 100, after: $after) {{
    pageInfo {{ hasNextPage endCursor }}
    edges {{ node {{ id {CUSTOMER_FIELDS} {OURS_NESTED} }} }}
  }}
}}"""
PEER_PARTNER = f"""query Partner($after: Cursor) {{
  customers(first: 100, after: $after, orderBy: [NAME_ASC, ROW_ID_ASC],
            condition: {{ archivedAt: null }}) {{
    pageInfo {{ hasNextPage endCursor }}
    nodes {{ rowId {CUSTOMER_FIELDS} {PEER_NESTED} }}
  }}
}}"""


def _next_page_ours(first: Json) -> Json:
    return {"after": None if first is None else first["customers"]["pageInfo"]["endCursor"]}


def _next_page_peer(first: Json) -> Json:
    return {"after": None if first is None else first["customers"]["pageInfo"]["endCursor"]}


def _next_page_floor(first: Json) -> Json:
    """The floor pages by the sort key of the last row it sent: (name, id)."""
    if first is None:
        return {"after_name": None, "after_id": None}
    last = first["customers"][-1]
    return {"after_name": last["name"], "after_id": last["id"]}


# -- the SPA's whole detail page ----------------------------------------------------------


def spa_detail_document() -> str:
    """The SPA's CustomerDetail query as its build registered it."""
    import json
    from pathlib import Path

    manifest = Path(__file__).resolve().parent.parent / (
        "src/customer_graph/web/static/persisted-documents.json"
    )
    for document in json.loads(manifest.read_text()).values():
        if document.startswith("query CustomerDetail("):
            return str(document)
    raise SystemExit("Build the app first (make frontend): no CustomerDetail document found.")


# -- writes ---------------------------------------------------------------------------------

OURS_CREATE_CUSTOMER = """mutation($input: CreateCustomerInput!) {
  createCustomer(input: $input) { customer { id customerNumber name version } userErrors { code message } }
}"""  # noqa: E501
PEER_CREATE_CUSTOMER = """mutation($input: CreateCustomerInput!) {
  createCustomer(input: $input) { customer { rowId customerNumber name version } }
}"""
OURS_UPDATE_CUSTOMER = """mutation($input: UpdateCustomerInput!) {
  updateCustomer(input: $input) { customer { id name version } userErrors { code message } }
}"""
PEER_UPDATE_CUSTOMER = """mutation($input: UpdateCustomerInput!) {
  updateCustomer(input: $input) { customer { rowId name version } }
}"""
OURS_CREATE_SITE = """mutation($input: CreateSiteInput!) {
  createSite(input: $input) { site { id name status } userErrors { code message } }
}"""
PEER_CREATE_SITE = """mutation($input: CreateSiteInput!) {
  createSite(input: $input) { site { rowId name status } }
}"""

# -- abuse ----------------------------------------------------------------------------------

ALIASES = "{ " + " ".join(f"a{i}: __typename" for i in range(1000)) + " }"
TOKENS = "{ viewer { " + " ".join(["__typename"] * 9996) + " } }"
PEER_TOKENS = "{ query { " + " ".join(["__typename"] * 9996) + " } }"


def fragment_explosion(levels: int, leaf: str) -> str:
    """Each fragment spreads the next twice: some 750 characters whose leaf appears 2^18 times."""
    spreads = [f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels - 1)]
    return " ".join(["{ ...F0 }", *spreads, f"fragment F{levels - 1} on Query {{ {leaf} }}"])


FRAGMENTS = fragment_explosion(19, "viewer { name }")
PEER_FRAGMENTS = fragment_explosion(19, "query { __typename }")


def _none(_: Json) -> Json:
    return {}


def _detail_variables(_: Json) -> Json:
    return {"id": global_id("Customer", DETAIL_CUSTOMER)}


OPS: list[Op] = [
    Op(
        name="list",
        what="the SPA's customer list page: 50 rows with owner, manager, tags, status, sites",
        ours=OURS_LIST,
        ours_variables=lambda first: {
            "first": 50,
            "filter": {},
            **({} if first is None else _next_page_ours(first)),
        },
        floor="list",
        floor_variables=_next_page_floor,
        peer=PEER_LIST,
        peer_variables=_next_page_peer,
        normalise={"ours": ours_list, "peer": peer_list, "floor": lambda data: data},
        paged=True,
    ),
    Op(
        name="detail",
        what="one customer with its sites and their assets, contacts and projects",
        ours=OURS_DETAIL,
        ours_variables=_detail_variables,
        floor="detail",
        floor_variables=lambda _: {"id": DETAIL_CUSTOMER},
        peer=PEER_DETAIL,
        peer_variables=lambda _: {"id": DETAIL_CUSTOMER},
        normalise={
            "ours": lambda data: ours_customer(data["customer"]),
            "peer": lambda data: peer_customer(data["customer"]),
            "floor": lambda data: data["customer"],
        },
    ),
    Op(
        name="partner",
        what="100 customers with contacts, sites with their assets, and projects",
        ours=OURS_PARTNER,
        ours_variables=_next_page_ours,
        floor="partner",
        floor_variables=_next_page_floor,
        peer=PEER_PARTNER,
        peer_variables=_next_page_peer,
        normalise={
            "ours": lambda data: [ours_customer(e["node"]) for e in data["customers"]["edges"]],
            "peer": lambda data: [peer_customer(n) for n in data["customers"]["nodes"]],
            "floor": lambda data: data["customers"],
        },
        paged=True,
        concurrency=8,
    ),
]

DETAIL_PAGE = Op(
    name="detail page",
    what="the SPA's whole customer page: every tab's first rows and all figures",
    ours="",  # read from the build when the benchmark starts
    ours_variables=lambda _: {"id": global_id("Customer", DETAIL_CUSTOMER), "rows": 10},
    floor=None,
    floor_variables=_none,
    peer=None,
    peer_variables=_none,
)
