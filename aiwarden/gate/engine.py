"""The engine's side of the analyzer protocol, over a captured program.

Sequence per pack: GetPluginInfo, GetAnalyzerInfo, Configure (validated config),
ConfigureStack, then for every resource Remediate and Analyze on the remediated
properties (on the pack server's 4 workers), then AnalyzeStack with parents,
dependencies and property dependencies.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import grpc
from google.protobuf import empty_pb2, json_format, struct_pb2
from pulumi.runtime.proto import analyzer_pb2

from aiwarden.capture.model import Capture, Registration
from aiwarden.capture.props import drop_internal_keys
from aiwarden.errors import AiwardenError
from aiwarden.findings import Exemption, PolicyMeta, Remediation, Violation, control_of
from aiwarden.gate.config import LEVEL_NAMES, PolicySettings, configure_request, reconcile
from aiwarden.gate.pack_process import PackEnvironment, PackManifest, PackProcess
from aiwarden_policies.contract import markers

WORKERS = 4  # the pack server's thread pool (pulumi_policy.PolicyPack)
SHARD_MIN_RESOURCES = 400
ENGINE_ADDRESS = "127.0.0.1:0"  # the pack never calls back into the engine offline
SEVERITIES = {0: "", 1: "low", 2: "medium", 3: "high", 4: "critical"}
POLICY_TYPES = {0: "unknown", 1: "resource", 2: "stack"}


def marshal(props: dict[str, Any]) -> struct_pb2.Struct:
    """Engine marshalling for Analyze: secrets and unknowns kept, internal top-level keys dropped."""
    s = struct_pb2.Struct()
    s.update(drop_internal_keys(props))
    return s


@dataclass
class PackResult:
    manifest: PackManifest
    policies: list[PolicyMeta]
    violations: list[Violation]
    remediations: list[Remediation]
    exemptions: list[Exemption]
    startup_seconds: float
    analyze_seconds: float  # first Analyze to last (overlaps registration when streamed)
    analyze_tail_seconds: float  # Analyze still running after the program finished registering
    stack_seconds: float


class PackRun:
    """One pack's evaluation of one capture, over one or more processes of that pack (shards)."""

    def __init__(
        self,
        packs: list[PackProcess],
        settings: dict[str, PolicySettings],
        metas: dict[str, PolicyMeta],
    ) -> None:
        self.packs = packs
        self.pack = packs[0]
        self._providers: dict[str, analyzer_pb2.AnalyzerProviderResource | None] = {}
        self.by_urn: dict[str, Registration] = {}  # grows as resources register; the final capture at the end
        self.settings = settings
        self.metas = metas
        self.violations: list[Violation] = []
        self.remediations: list[Remediation] = []
        self.exemptions: list[Exemption] = []

    # -- marshalling ---------------------------------------------------------------------
    def _options(self, r: Registration) -> analyzer_pb2.AnalyzerResourceOptions:
        o = r.options
        opts = analyzer_pb2.AnalyzerResourceOptions(
            protect=bool(o.get("protect")),
            ignoreChanges=o.get("ignoreChanges", []),
            deleteBeforeReplace=bool(o.get("deleteBeforeReplace")),
            deleteBeforeReplaceDefined=o.get("deleteBeforeReplace") is not None,
            additionalSecretOutputs=o.get("additionalSecretOutputs", []),
            aliases=o.get("aliases", []),
            parent=r.parent,
        )
        timeouts = o.get("customTimeouts") or {}
        if any(timeouts.values()):
            opts.customTimeouts.CopyFrom(
                analyzer_pb2.AnalyzerResourceOptions.CustomTimeouts(
                    create=_seconds(timeouts.get("create")),
                    update=_seconds(timeouts.get("update")),
                    delete=_seconds(timeouts.get("delete")),
                )
            )
        return opts

    def _provider(self, r: Registration) -> analyzer_pb2.AnalyzerProviderResource | None:
        if not r.provider:
            return None
        urn = r.provider.rsplit("::", 1)[0]
        if urn not in self._providers:
            p = self.by_urn.get(urn)
            self._providers[urn] = (
                None
                if p is None
                else analyzer_pb2.AnalyzerProviderResource(
                    type=p.type, properties=marshal(p.inputs), urn=p.urn, name=p.name
                )
            )
        return self._providers[urn]

    def _request(self, r: Registration, props: dict[str, Any]) -> analyzer_pb2.AnalyzeRequest:
        req = analyzer_pb2.AnalyzeRequest(
            type=r.type, properties=marshal(props), urn=r.urn, name=r.name, options=self._options(r)
        )
        provider = self._provider(r)
        if provider is not None:
            req.provider.CopyFrom(provider)
        return req

    # -- per resource --------------------------------------------------------------------
    def _call(self, method: Callable[..., Any], request: Any, name: str) -> Any:
        try:
            return method(request)
        except grpc.RpcError as exc:
            raise self.pack.error(exc, name) from None

    def analyze_resource(self, r: Registration, remediate: bool, shard: int = 0) -> dict[str, Any]:
        pack = self.packs[shard % len(self.packs)]
        props = r.inputs
        if remediate:
            reply = self._call(pack.stub.Remediate, self._request(r, props), f"Remediate({r.urn})")
            for rem in reply.remediations:
                after = props
                if rem.HasField("properties") and len(rem.properties.fields):
                    after = json_format.MessageToDict(rem.properties)
                self.remediations.append(self._remediation(r, rem, props, after))
                props = after
            self._not_applicable(r, reply.not_applicable)
        reply = self._call(pack.stub.Analyze, self._request(r, props), f"Analyze({r.urn})")
        for d in reply.diagnostics:
            self.violations.append(self._violation(d, r))
        self._not_applicable(r, reply.not_applicable)
        return props

    def _not_applicable(self, r: Registration | None, items: Any) -> None:
        for na in items:
            if na.reason.startswith(markers.EXEMPT_PREFIX) and r is not None:
                meta = self.metas.get(na.policy_name)
                self.exemptions.append(
                    Exemption(
                        policy_pack=self.pack.manifest.name,
                        policy=na.policy_name,
                        control=meta.control if meta else control_of(na.policy_name),
                        urn=r.urn,
                        resource_type=r.type,
                        resource_name=r.name,
                        justification=na.reason[len(markers.EXEMPT_PREFIX) :],
                    )
                )

    def _remediation(
        self, r: Registration, rem: Any, before: dict[str, Any], after: dict[str, Any]
    ) -> Remediation:
        changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
        meta = self.metas.get(rem.policyName)
        return Remediation(
            policy_pack=rem.policyPackName or self.pack.manifest.name,
            policy=rem.policyName,
            control=meta.control if meta else control_of(rem.policyName),
            urn=r.urn,
            resource_type=r.type,
            resource_name=r.name,
            description=rem.description,
            before={k: before.get(k) for k in changed},
            after={k: after.get(k) for k in changed},
            diagnostic=rem.diagnostic,
        )

    def _violation(self, d: analyzer_pb2.AnalyzeDiagnostic, r: Registration | None) -> Violation:
        meta = self.metas.get(d.policyName)
        message = d.message
        if d.description and message.startswith(d.description):
            message = message[len(d.description) :].lstrip("\n") or d.description
        urn = d.urn or (r.urn if r is not None else "")
        target = self.by_urn.get(urn)
        unknown = markers.DURING_PREVIEW in d.message and d.message.startswith(markers.CANNOT_RUN)
        return Violation(
            policy_pack=self.pack.manifest.name,
            policy=d.policyName,
            control=meta.control if meta else control_of(d.policyName),
            severity=SEVERITIES.get(d.severity) or (meta.severity if meta else ""),
            enforcement_level=LEVEL_NAMES.get(d.enforcementLevel, "advisory"),
            urn=urn,
            resource_type=target.type if target else "",
            resource_name=target.name if target else "",
            message=message,
            description=d.description,
            kind="unknown-at-preview" if unknown else "violation",
        )

    def _violations(self, d: analyzer_pb2.AnalyzeDiagnostic, r: Registration | None) -> list[Violation]:
        """``_violation``, except that a stack policy's advisory that lists the subjects it could not decide at
        preview (``...during preview: undecided for <urn> (<reason>); ...``, see the pack's ``framework``)
        becomes one unknown-at-preview finding per subject, on that resource (``the stack``: stack level)."""
        found = self._violation(d, r)
        entries = undecided_entries(d.message, self.by_urn) if found.kind == "unknown-at-preview" else None
        if not entries:
            return [found]
        head = d.message[: d.message.index(UNDECIDED_MARKER)]
        split = []
        for urn, reason in entries:
            target = self.by_urn.get(urn)
            split.append(
                replace(
                    found,
                    urn=urn,
                    resource_type=target.type if target else "",
                    resource_name=target.name if target else "",
                    message=f"{head}{markers.DURING_PREVIEW}{reason}",
                )
            )
        return split

    # -- whole stack ---------------------------------------------------------------------
    def analyze_stack(self, capture: Capture, props_by_urn: dict[str, dict[str, Any]]) -> None:
        """AnalyzeStack sees each resource's outputs (after remediation of its inputs)."""
        request = analyzer_pb2.AnalyzeStackRequest()
        self.by_urn = capture.by_urn()
        for r in capture.resources:
            remediated = props_by_urn.get(r.urn, r.inputs)
            # A remediation changes inputs; the outputs a stack policy sees follow them (top-level keys).
            outputs = {**r.outputs, **remediated} if r.custom and remediated is not r.inputs else r.outputs
            res = analyzer_pb2.AnalyzerResource(
                type=r.type,
                properties=marshal(outputs),
                urn=r.urn,
                name=r.name,
                options=self._options(r),
                parent=r.parent,
                dependencies=r.dependencies,
            )
            provider = self._provider(r)
            if provider is not None:
                res.provider.CopyFrom(provider)
            for key, urns in r.property_dependencies.items():
                res.propertyDependencies[key].urns.extend(urns)
            request.resources.append(res)
        # Every shard holds a share of the stack policies (see ``stack_shares``): ask them all at once.
        with ThreadPoolExecutor(max_workers=len(self.packs)) as pool:
            replies = list(
                pool.map(lambda pack: self._call(pack.stub.AnalyzeStack, request, "AnalyzeStack"), self.packs)
            )
        for reply in replies:
            for d in reply.diagnostics:
                self.violations.extend(self._violations(d, None))


UNDECIDED_MARKER = markers.DURING_PREVIEW + markers.UNDECIDED_PREFIX


def undecided_entries(message: str, urns: Mapping[str, Any]) -> list[tuple[str, str]] | None:
    """(URN, reason) of each subject a stack policy's "can't run policy" advisory lists as undecided (``""``
    for the stack), or None when the message has no such list or names a resource that ``urns`` does not
    hold (a name the list's separators cannot delimit): the advisory then stays as it is."""
    start = message.find(UNDECIDED_MARKER)
    if start < 0:
        return None
    found: list[tuple[str, str]] = []
    for entry in message[start + len(UNDECIDED_MARKER) :].split(markers.ENTRY_SEPARATOR):
        if not entry.endswith(")"):
            return None
        # The longest prefix before a " (" that is the stack or a URN of the stack (names may hold " (").
        cuts = [i for i in range(len(entry)) if entry.startswith(" (", i)]
        who = next(
            (entry[:i] for i in reversed(cuts) if entry[:i] == markers.STACK_SUBJECT or entry[:i] in urns),
            None,
        )
        if who is None:
            return None
        found.append(("" if who == markers.STACK_SUBJECT else who, entry[len(who) + 2 : -1]))
    return found


_DURATION = re.compile(r"(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)")
_UNIT_SECONDS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


def _seconds(value: Any) -> float:
    """A custom timeout in seconds: Pulumi takes Go duration strings (``"10m"``, ``"1h30m"``, ``"1200s"``)."""
    if value in (None, ""):
        return 0.0
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip()
    parts = _DURATION.findall(text)
    if not parts or "".join(n + u for n, u in parts) != text:
        raise AiwardenError(f"custom timeout {value!r} is not a duration such as '10m', '1h30m' or '1200s'")
    return sum(float(number) * _UNIT_SECONDS[unit] for number, unit in parts)


def _metas(
    manifest: PackManifest, info: analyzer_pb2.AnalyzerInfo, settings: dict[str, PolicySettings]
) -> dict[str, PolicyMeta]:
    metas = {}
    for p in info.policies:
        framework = json_format.MessageToDict(p.framework) if p.HasField("framework") else {}
        metas[p.name] = PolicyMeta(
            pack=manifest.name,
            pack_version=manifest.version,
            name=p.name,
            description=p.description,
            control=control_of(p.name, framework.get("reference", "")),
            severity=SEVERITIES.get(p.severity, ""),
            enforcement_level=settings[p.name].level,
            policy_type=POLICY_TYPES.get(p.policy_type, "unknown"),
            tags=list(p.tags),
            remediation_steps=p.remediation_steps,
            url=p.url,
            framework=framework,
            config_schema=dict(json_format.MessageToDict(p.configSchema).get("properties") or {})
            if p.HasField("configSchema")
            else {},
        )
    return metas


def stack_shares(info: analyzer_pb2.AnalyzerInfo, shards: int) -> list[set[str]]:
    """Stack policies split round-robin over the shards: AnalyzeStack costs policies × resources in the SDK,
    so each shard evaluates its share (the others are disabled there) and the union is the pack's answer."""
    names = sorted(p.name for p in info.policies if p.policy_type == analyzer_pb2.POLICY_TYPE_STACK)
    return [set(names[i::shards]) for i in range(shards)]


def _analyzer_info(pack: PackProcess) -> analyzer_pb2.AnalyzerInfo:
    try:
        pack.stub.GetPluginInfo(empty_pb2.Empty())
        info: analyzer_pb2.AnalyzerInfo = pack.stub.GetAnalyzerInfo(empty_pb2.Empty())
    except grpc.RpcError as exc:
        raise pack.error(exc, "GetAnalyzerInfo") from None
    return info


def _configure(
    pack: PackProcess, env: PackEnvironment, settings: dict[str, PolicySettings], others: set[str]
) -> None:
    """Configure (the stack policies of ``others`` disabled: another shard runs them) and ConfigureStack."""
    shard_settings = {
        name: PolicySettings("disabled", s.properties) if name in others else s
        for name, s in settings.items()
    }
    stub = pack.stub
    try:
        stub.Configure(configure_request(shard_settings))
    except grpc.RpcError as exc:
        raise pack.error(exc, "Configure") from None
    try:
        stub.ConfigureStack(
            analyzer_pb2.AnalyzerStackConfigureRequest(
                stack=env.stack,
                project=env.project,
                organization=env.organization,
                dry_run=env.dry_run,
                config=env.config,
                config_secret_keys=env.secret_keys,
                tags={"pulumi:project": env.project, "pulumi:runtime": "python"},
            )
        )
    except grpc.RpcError as exc:
        if exc.code() != grpc.StatusCode.UNIMPLEMENTED:
            raise pack.error(exc, "ConfigureStack") from None


class Evaluation:
    """One pack's evaluation, fed each resource as it registers, as the engine analyzes each resource
    when its step runs; ``finish`` runs AnalyzeStack over the final capture.

    Shards are sized by work on every path: one process of the pack starts with the evaluation, and
    another joins (up to one per core) each time ``SHARD_MIN_RESOURCES`` more resources have arrived.
    Shards split the per-resource Analyze calls (Analyze is per resource and every shard has the same
    configuration) and, before AnalyzeStack, the stack policies (each shard is reconfigured to run its
    share on the same request), so the union is one process's answer. With ``processes`` given (kept
    alive by the caller), exactly those are used and not closed.
    """

    def __init__(
        self,
        manifest: PackManifest,
        env: PackEnvironment,
        user_config: dict[str, Any],
        progress: Callable[[int, int], None] | None = None,
        processes: list[PackProcess] | None = None,
    ) -> None:
        self.manifest = manifest
        self.env = env
        self._owned = processes is None
        self.shards: list[PackProcess] = (
            list(processes) if processes is not None else [PackProcess(manifest, env, ENGINE_ADDRESS)]
        )
        self._max_shards = (os.cpu_count() or 1) if self._owned else len(self.shards)
        self._growing: list[threading.Thread] = []
        self._grow_errors: list[BaseException] = []
        try:
            info = _analyzer_info(self.shards[0])
            self.info = info
            self.settings = reconcile(info, user_config)  # once: every shard is the same pack
            self.metas = _metas(manifest, info, self.settings)
            for index, pack in enumerate(self.shards):
                if index:
                    _analyzer_info(pack)  # the engine's handshake with every analyzer process
                _configure(pack, env, self.settings, set())
        except BaseException:
            self.close()
            raise
        self.run = PackRun(self.shards, self.settings, self.metas)
        # The engine calls Remediate for every resource; with no policy at the remediate level the SDK
        # answers with nothing, so the call is skipped (same result, half the round trips).
        self.remediate = any(s.level == "remediate" for s in self.settings.values())
        self.progress = progress
        self._pool = ThreadPoolExecutor(max_workers=WORKERS * self._max_shards)
        self._futures: dict[str, Future[dict[str, Any]]] = {}
        self._started: float | None = None

    def _grow(self) -> None:
        """Start one more shard in the background; it takes Analyze calls once configured."""

        def start() -> None:
            try:
                pack = PackProcess(self.manifest, self.env, ENGINE_ADDRESS)
            except BaseException as exc:
                self._grow_errors.append(exc)
                return
            try:
                _analyzer_info(pack)
                _configure(pack, self.env, self.settings, set())
            except BaseException as exc:
                pack.close()
                self._grow_errors.append(exc)
                return
            self.shards.append(pack)  # PackRun shares the list: later Analyze calls reach it

        thread = threading.Thread(target=start, daemon=True)
        self._growing.append(thread)
        thread.start()

    def submit(self, r: Registration) -> None:
        if self._started is None:
            self._started = time.perf_counter()
        self.run.by_urn[r.urn] = r
        self._futures[r.urn] = self._pool.submit(
            self.run.analyze_resource, r, self.remediate, len(self._futures)
        )
        planned = len(self.shards) + sum(t.is_alive() for t in self._growing)
        if self._owned and planned < self._max_shards and len(self._futures) >= SHARD_MIN_RESOURCES * planned:
            self._grow()

    def finish(self, capture: Capture) -> PackResult:
        for r in capture.resources:  # anything not streamed (a plain capture) is analyzed now
            if r.urn not in self._futures:
                self.submit(r)
        waited = time.perf_counter()
        props_by_urn: dict[str, dict[str, Any]] = {}
        try:
            for done, (urn, future) in enumerate(self._futures.items(), 1):
                props_by_urn[urn] = future.result()
                if self.progress is not None:
                    self.progress(done, len(self._futures))
        finally:
            self._pool.shutdown(cancel_futures=True)
        for thread in self._growing:
            thread.join()
        if self._grow_errors:
            raise self._grow_errors[0]
        if len(self.shards) > 1:  # each shard runs its share of the stack policies
            shares = stack_shares(self.info, len(self.shards))
            everything = set().union(*shares)
            for pack, share in zip(self.shards, shares, strict=True):
                _configure(pack, self.env, self.settings, everything - share)
        analyzed = time.perf_counter()
        self.run.analyze_stack(capture, props_by_urn)
        finished = time.perf_counter()
        return PackResult(
            manifest=self.manifest,
            policies=list(self.metas.values()),
            violations=self.run.violations,
            remediations=self.run.remediations,
            exemptions=self.run.exemptions,
            startup_seconds=max(p.startup_seconds for p in self.shards),
            analyze_seconds=analyzed - (self._started or waited),
            analyze_tail_seconds=analyzed - waited,
            stack_seconds=finished - analyzed,
        )

    def close(self) -> None:
        """Stop the pool and the processes this evaluation started."""
        pool = getattr(self, "_pool", None)
        if pool is not None:
            pool.shutdown(cancel_futures=True)
        for thread in self._growing:
            thread.join()
        if self._owned:
            for pack in self.shards:
                pack.close()


def pack_environment(capture: Capture) -> PackEnvironment:
    return PackEnvironment(
        project=capture.project,
        stack=capture.stack,
        organization=capture.organization,
        dry_run=capture.preview,
        config=capture.config,
        secret_keys=capture.secret_keys,
    )


def list_policies(manifest: PackManifest, environment: str) -> list[PolicyMeta]:
    """The pack's policies as the engine learns them (GetAnalyzerInfo), with the levels of ``environment``."""
    env = PackEnvironment(
        project="aiwarden",
        stack="policies",
        organization="organization",
        dry_run=True,
        config={"aiwarden:environment": environment},
        secret_keys=[],
    )
    with PackProcess(manifest, env, ENGINE_ADDRESS) as pack:
        info = _analyzer_info(pack)
    return list(_metas(manifest, info, reconcile(info, {})).values())


def default_pack_dir() -> Path:
    return Path(__file__).resolve().parents[2] / "policy_packs" / "aiwarden"
