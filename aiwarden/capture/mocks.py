"""Realistic mock outputs: what a provider would return, so programs that read outputs run.

Preview mode behaves like ``pulumi preview``: ids and computed-only attributes (ARNs,
self links) are unknown; inputs and provider-computed names are known. Update mode returns
values shaped like the cloud's (ARNs, bucket names, selfLinks, Kubernetes metadata).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pulumi

from aiwarden.capture.props import UNKNOWN
from aiwarden.capture.synth import Context, fill_outputs

ACCOUNT = "123456789012"
REGION = "us-east-1"
GCP_PROJECT = "aiwarden-offline"
GCP_PROJECT_NUMBER = "123456789012"


def _suffix(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()[:7]


def _text(value: Any) -> str:
    """A known, non-empty string input, else "" (unknowns and secrets are not strings here)."""
    return value if isinstance(value, str) and value != UNKNOWN else ""


def _camel(token: str) -> str:
    return token[:1].lower() + token[1:]


def _iam_statement(st: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"Effect": st.get("effect", "Allow")}
    if st.get("sid"):
        out["Sid"] = st["sid"]
    for src, dst in (
        ("actions", "Action"),
        ("notActions", "NotAction"),
        ("resources", "Resource"),
        ("notResources", "NotResource"),
    ):
        if st.get(src):
            values = st[src]
            out[dst] = values[0] if len(values) == 1 else values
    for src, dst in (("principals", "Principal"), ("notPrincipals", "NotPrincipal")):
        if st.get(src):
            principal: dict[str, Any] = {}
            for p in st[src]:
                ids = p.get("identifiers", [])
                principal[p["type"]] = ids[0] if len(ids) == 1 else ids
            out[dst] = "*" if principal == {"*": "*"} else principal
    if st.get("conditions"):
        cond: dict[str, dict[str, Any]] = {}
        for c in st["conditions"]:
            values = c.get("values", [])
            cond.setdefault(c["test"], {})[c["variable"]] = values[0] if len(values) == 1 else values
        out["Condition"] = cond
    return out


class RealisticMocks(pulumi.runtime.Mocks):
    def __init__(self, preview: bool) -> None:
        self.preview = preview

    # -- invokes -------------------------------------------------------------------------
    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        """(result, check failures): pulumi's mock monitor iterates the failures, so never None."""
        token, a = args.token, dict(args.args)
        if token == "aws:index/getCallerIdentity:getCallerIdentity":
            return {
                "accountId": ACCOUNT,
                "arn": f"arn:aws:iam::{ACCOUNT}:user/offline",
                "userId": "AIDAOFFLINE",
                "id": ACCOUNT,
            }, []
        if token == "aws:index/getRegion:getRegion":
            return {
                "name": REGION,
                "region": REGION,
                "id": REGION,
                "endpoint": f"ec2.{REGION}.amazonaws.com",
                "description": "US East (N. Virginia)",
            }, []
        if token == "aws:index/getPartition:getPartition":
            return {"partition": "aws", "dnsSuffix": "amazonaws.com", "id": "aws"}, []
        if token == "aws:index/getAvailabilityZones:getAvailabilityZones":
            names = [f"{REGION}{z}" for z in "abc"]
            return {"names": names, "zoneIds": [f"use1-az{i}" for i in (1, 2, 4)], "id": REGION}, []
        if token == "aws:iam/getPolicyDocument:getPolicyDocument":
            doc = {"Version": "2012-10-17", "Statement": [_iam_statement(s) for s in a.get("statements", [])]}
            return {**a, "json": json.dumps(doc), "id": _suffix(json.dumps(doc))}, []
        if token == "gcp:organizations/getProject:getProject":
            return {
                "projectId": a.get("projectId", GCP_PROJECT),
                "number": GCP_PROJECT_NUMBER,
                "name": GCP_PROJECT,
                "id": f"projects/{GCP_PROJECT}",
            }, []
        if token == "gcp:storage/getProjectServiceAccount:getProjectServiceAccount":
            # the Cloud Storage service agent of the project (the real data source creates it on first read)
            email = f"service-{GCP_PROJECT_NUMBER}@gs-project-accounts.iam.gserviceaccount.com"
            project = _text(a.get("project")) or GCP_PROJECT
            return {
                "emailAddress": email,
                "member": f"serviceAccount:{email}",
                "project": project,
                "id": email,
            }, []
        if token == "gcp:projects/getIamPolicy:getIamPolicy":
            # a project whose Data Access audit logs are on for every service (set by the stack that owns them)
            project = _text(a.get("project")) or GCP_PROJECT
            audit = [{"logType": t} for t in ("ADMIN_READ", "DATA_READ", "DATA_WRITE")]
            policy = {"auditConfigs": [{"service": "allServices", "auditLogConfigs": audit}], "bindings": []}
            return {
                "policyData": json.dumps(policy),
                "etag": "BwYOFFLINE00=",
                "project": project,
                "id": project,
            }, []
        if token == "gcp:organizations/getClientConfig:getClientConfig":
            return {
                "project": GCP_PROJECT,
                "region": "us-central1",
                "zone": "us-central1-a",
                "accessToken": "offline",
                "id": GCP_PROJECT,
            }, []
        return a, []

    # -- resources -----------------------------------------------------------------------
    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        state = dict(args.inputs)
        typ, name = args.typ, args.name
        if typ.startswith("pulumi:providers:"):
            return ("" if self.preview else f"{_suffix(name)}-provider"), state
        pkg = typ.split(":", 1)[0]
        if pkg == "aws":
            id_, state = self._aws(typ, name, state)
        elif pkg == "gcp":
            id_, state = self._gcp(typ, name, state)
        elif pkg == "kubernetes":
            id_, state = self._k8s(typ, name, state)
        else:
            id_ = "" if self.preview else f"{name}-{_suffix(name)}"
        if not self.preview:
            region = _text(state.get("region")) or _text(state.get("location"))
            context = Context(
                type=typ,
                name=name,
                physical=_text(state.get("name")) or f"{name}-{_suffix(name)}",
                region=region or (REGION if pkg == "aws" else "us-central1"),
                account=ACCOUNT,
                project=_text(state.get("project")) or GCP_PROJECT,
                stage=_text(state.get("stageName")),
            )
            state = fill_outputs(state, context)
        return id_, state

    def _computed(self, value: str) -> str:
        return UNKNOWN if self.preview else value

    def _aws(self, typ: str, name: str, state: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        module, _, kind = typ.split(":")[1].partition("/")
        service = {"s3": "s3", "kms": "kms", "iam": "iam", "sagemaker": "sagemaker"}.get(module, module)
        physical = f"{name}-{_suffix(name)}"
        if typ == "aws:s3/bucket:Bucket":
            physical = state.get("bucket") or f"{state.get('bucketPrefix', name)}{_suffix(name)}"
            state["bucket"] = physical
            state["arn"] = self._computed(f"arn:aws:s3:::{physical}")
            state["bucketDomainName"] = f"{physical}.s3.amazonaws.com"
            state["bucketRegionalDomainName"] = f"{physical}.s3.{REGION}.amazonaws.com"
            return ("" if self.preview else physical), state
        if module == "iam":
            physical = state.get("name") or physical
            state.setdefault("name", physical)
            state["arn"] = self._computed(
                f"arn:aws:iam::{ACCOUNT}:{_camel(typ.rsplit(':', 1)[1])}/{physical}"
            )
            return ("" if self.preview else physical), state
        resource = _camel(kind.split(":")[0]) if kind else "resource"
        state["arn"] = self._computed(f"arn:aws:{service}:{REGION}:{ACCOUNT}:{resource}/{physical}")
        if "name" not in state and "namePrefix" not in state:
            state["name"] = physical
        if typ == "aws:kms/key:Key":
            key_id = "mrk-" + hashlib.sha256(name.encode()).hexdigest()[:32]
            state["keyId"] = self._computed(key_id)
            state["arn"] = self._computed(f"arn:aws:kms:{REGION}:{ACCOUNT}:key/{key_id}")
            return ("" if self.preview else key_id), state
        if typ == "aws:secretsmanager/secret:Secret":
            state["arn"] = self._computed(
                f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:{physical}-AbCdEf"
            )
            return ("" if self.preview else state["arn"]), state
        if typ in ("aws:ec2/vpc:Vpc", "aws:ec2/subnet:Subnet", "aws:ec2/securityGroup:SecurityGroup"):
            prefix = {"aws:ec2/vpc:Vpc": "vpc", "aws:ec2/subnet:Subnet": "subnet"}.get(typ, "sg")
            physical = f"{prefix}-{hashlib.sha256(name.encode()).hexdigest()[:17]}"
        return ("" if self.preview else physical), state

    def _gcp(self, typ: str, name: str, state: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        module = typ.split(":")[1].split("/")[0]
        project = state.get("project") or GCP_PROJECT
        state.setdefault("project", project)
        physical = state.get("name") or f"{name}-{_suffix(name)}"
        if "name" not in state and not typ.endswith(("IAMMember", "IAMBinding", "IAMPolicy")):
            state["name"] = physical
        kind = _camel(typ.rsplit(":", 1)[1]) + "s"
        location = state.get("location") or state.get("region") or "global"
        rid = f"projects/{project}/locations/{location}/{kind}/{physical}"
        state["selfLink"] = self._computed(f"https://www.googleapis.com/{module}/v1/{rid}")
        if typ == "gcp:serviceaccount/account:Account":
            email = f"{state.get('accountId', physical)}@{project}.iam.gserviceaccount.com"
            state["email"] = email
            state["member"] = f"serviceAccount:{email}"
            rid = f"projects/{project}/serviceAccounts/{email}"
        if typ in (
            "gcp:logging/projectSink:ProjectSink",
            "gcp:logging/organizationSink:OrganizationSink",
            "gcp:logging/folderSink:FolderSink",
        ):
            state["writerIdentity"] = self._computed(
                f"serviceAccount:service-{GCP_PROJECT_NUMBER}@gcp-sa-logging.iam.gserviceaccount.com"
            )
        if typ == "gcp:kms/cryptoKey:CryptoKey":
            rid = f"{state.get('keyRing', 'projects/' + project + '/locations/global/keyRings/ring')}/cryptoKeys/{physical}"
        return ("" if self.preview else rid), state

    def _k8s(self, typ: str, name: str, state: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        metadata = dict(state.get("metadata") or {})
        metadata.setdefault("name", f"{name}-{_suffix(name)[:8]}")
        namespaced = not typ.endswith(
            (
                ":Namespace",
                ":ClusterRole",
                ":ClusterRoleBinding",
                ":PersistentVolume",
                ":StorageClass",
                ":CustomResourceDefinition",
                ":PriorityClass",
            )
        )
        if namespaced:
            metadata.setdefault("namespace", "default")
        metadata["uid"] = self._computed(hashlib.sha256(name.encode()).hexdigest()[:32])
        state["metadata"] = metadata
        rid = f"{metadata['namespace']}/{metadata['name']}" if namespaced else metadata["name"]
        return ("" if self.preview else rid), state
