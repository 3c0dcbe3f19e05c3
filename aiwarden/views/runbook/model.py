"""What a runbook holds: per asset, whom to call and the exact steps, each with why it is there."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Step:
    #: The command, ready to paste; values only known during the incident are ``<PLACEHOLDERS>``.
    command: str
    why: str


@dataclass
class Item:
    """One thing to act on: a credential, an endpoint, a bucket."""

    #: The identifier as recorded (an ARN, a member, a URL, a name).
    subject: str
    #: What it is, in words ("Secrets Manager secret", "IAM role").
    what: str
    steps: list[Step] = field(default_factory=list)
    note: str = ""
    #: How to undo the steps once the incident is closed.
    rollback: str = ""


@dataclass
class Evidence:
    """One log / evidence location: where it is, what it holds, how long it stays, how to copy it out."""

    where: str
    what: str
    retention: str
    steps: list[Step] = field(default_factory=list)


@dataclass(frozen=True)
class RequestId:
    name: str
    where: str
    use: str


@dataclass
class AssetRunbook:
    name: str
    kind: str
    owner: str
    #: Whom to call: the recorded responder contact, or the owner team when none is recorded.
    contact: str
    #: Said when no contact is recorded (the owner team is all the runbook can name).
    contact_note: str
    environment: str
    classification: str
    exposure: str
    purpose: str
    identities: list[str]
    revoke: list[Item] = field(default_factory=list)
    disable: list[Item] = field(default_factory=list)
    preserve: list[Evidence] = field(default_factory=list)
    inspect: list[Item] = field(default_factory=list)
    #: Identities that can act on the asset, with what to run if one of them is compromised.
    access: list[Item] = field(default_factory=list)
    request_ids: list[RequestId] = field(default_factory=list)
    containment: str = ""
    rollback: list[str] = field(default_factory=list)
    #: The justification of an insecure choice the asset carries (``aiwarden-exception`` tag or label).
    exception: str = ""


@dataclass
class Runbook:
    project: str
    stack: str
    source: str
    synthetic: bool
    assets: list[AssetRunbook]
    #: Evidence the whole stack keeps (trails, audit configurations), whatever the asset.
    stack_evidence: list[Evidence] = field(default_factory=list)
    #: Budgets, anomaly monitors and alarms: the denial-of-wallet signals and where to read spend.
    spend: list[Item] = field(default_factory=list)
    #: AI assets no record covers (name, type, why).
    unmanaged: list[tuple[str, str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
