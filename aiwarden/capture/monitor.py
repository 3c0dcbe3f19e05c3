"""A ``MockMonitor`` that records the full ``RegisterResourceRequest`` the way the engine sees it.

Differences from the stock mock monitor, each one what the engine does:
- URNs: no ``pulumi:pulumi:Stack`` prefix; a child's type is prefixed by its parent's full
  qualified type chain (``parent$child``).
- Resource references in inputs are downgraded (custom -> id, component -> URN) before the
  mocks see them (the stock monitor rebuilds live resources on a worker thread and hangs).
- Inputs are read from ``request.object`` (the stock ``MockResourceArgs.inputs`` promotes a
  nested secret to the whole map).
- Default providers are synthesized as the engine names them (``default_<version>``).
- Resource transforms (the resource's own, its ancestors', then the stack's) are invoked over
  the SDK's callback gRPC service, as the engine invokes them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import grpc
from google.protobuf import json_format, struct_pb2
from pulumi.runtime import rpc
from pulumi.runtime.mocks import MockMonitor, MockResourceArgs, Mocks
from pulumi.runtime.proto import callback_pb2, callback_pb2_grpc, resource_pb2
from pulumi.runtime.settings import get_project, get_stack
from pulumi.runtime.sync_await import _ensure_event_loop, _sync_await

from aiwarden.capture.model import Registration
from aiwarden.capture.props import UNKNOWN, downgrade_references

STACK_TYPE = "pulumi:pulumi:Stack"
_LIBRARY_PARTS = frozenset({"site-packages", "dist-packages", ".venv", "venv", "__pypackages__"})


def source_location(uri: str, line: int, program_dir: Path) -> dict[str, Any] | None:
    """``{"file": <absolute path>, "line": n}`` for a frame in the program's own files, else None."""
    if not uri.startswith("file://") or line <= 0:
        return None
    path = Path(unquote(urlparse(uri).path))
    try:
        relative = path.relative_to(program_dir)
    except ValueError:
        return None
    if _LIBRARY_PARTS.intersection(relative.parts):
        return None
    return {"file": str(path), "line": int(line)}


def struct_to_dict(message: struct_pb2.Struct) -> dict[str, Any]:
    return dict(json_format.MessageToDict(message))


def dict_to_struct(value: dict[str, Any]) -> struct_pb2.Struct:
    s = struct_pb2.Struct()
    s.update(value)
    return s


class CaptureMonitor(MockMonitor):
    def __init__(
        self, mocks: Mocks, provider_config: dict[str, dict[str, str]], program_dir: Path | None = None
    ) -> None:
        super().__init__(mocks)
        self._program_dir = program_dir
        self.registrations: list[Registration] = []
        self.stack_outputs: dict[str, Any] = {}
        self._provider_config = provider_config
        self._lock = threading.Lock()
        self._provider_lock = threading.Lock()
        self._default_providers: dict[tuple[str, str], str] = {}
        self._stack_callbacks: list[callback_pb2.Callback] = []
        self._resource_transforms: dict[str, list[callback_pb2.Callback]] = {}
        self._parents: dict[str, str] = {}
        self._channels: dict[str, callback_pb2_grpc.CallbacksStub] = {}
        self.stack_urn = ""
        self._by_urn: dict[str, Registration] = {}
        #: Called (under the monitor's lock, in registration order) with each registration as it happens.
        self.on_record: Callable[[Registration], None] | None = None

    # -- URNs ------------------------------------------------------------------------------
    def make_urn(self, parent: str, type_: str, name: str) -> str:
        qualified = type_
        if parent:
            parent_type = parent.split("::")[2]
            if parent_type != STACK_TYPE:
                qualified = f"{parent_type}${type_}"
        return f"urn:pulumi:{get_stack()}::{get_project()}::{qualified}::{name}"

    # -- transforms ------------------------------------------------------------------------
    def RegisterStackTransform(self, request: callback_pb2.Callback) -> Any:
        self._stack_callbacks.append(request)
        return super().RegisterStackTransform(request)  # type: ignore[no-untyped-call]

    def _stub(self, target: str) -> callback_pb2_grpc.CallbacksStub:
        with self._lock:
            stub = self._channels.get(target)
            if stub is None:
                stub = callback_pb2_grpc.CallbacksStub(grpc.insecure_channel(target))
                self._channels[target] = stub
            return stub

    def _transforms_for(self, request: resource_pb2.RegisterResourceRequest) -> list[callback_pb2.Callback]:
        chain = list(request.transforms)
        parent = request.parent
        while parent:
            chain.extend(self._resource_transforms.get(parent, []))
            parent = self._parents.get(parent, "")
        return chain + list(self._stack_callbacks)

    def _apply_transforms(self, request: resource_pb2.RegisterResourceRequest) -> None:
        for callback in self._transforms_for(request):
            options = resource_pb2.TransformResourceOptions(
                depends_on=list(request.dependencies),
                protect=request.protect,
                ignore_changes=list(request.ignoreChanges),
                version=request.version,
                provider=request.provider,
                additional_secret_outputs=list(request.additionalSecretOutputs),
                retain_on_delete=request.retainOnDelete,
                replace_on_changes=list(request.replaceOnChanges),
            )
            transform_request = resource_pb2.TransformRequest(
                type=request.type,
                name=request.name,
                custom=request.custom,
                parent=request.parent,
                properties=request.object,
                options=options,
            )
            reply = self._stub(callback.target).Invoke(
                callback_pb2.CallbackInvokeRequest(
                    token=callback.token, request=transform_request.SerializeToString()
                )
            )
            result = resource_pb2.TransformResponse.FromString(reply.response)
            request.object.CopyFrom(result.properties)
            if result.HasField("options"):
                o = result.options
                request.protect = o.protect
                del request.ignoreChanges[:]
                request.ignoreChanges.extend(o.ignore_changes)
                del request.additionalSecretOutputs[:]
                request.additionalSecretOutputs.extend(o.additional_secret_outputs)
                if o.provider:
                    request.provider = o.provider
                request.retainOnDelete = o.retain_on_delete
                # a transform may add dependencies (e.g. make every child of a component wait for a resource)
                del request.dependencies[:]
                request.dependencies.extend(o.depends_on)
                del request.replaceOnChanges[:]
                request.replaceOnChanges.extend(o.replace_on_changes)

    # -- providers -------------------------------------------------------------------------
    def _default_provider(self, type_: str, version: str) -> str:
        """The engine's default provider for the package and version, registered once (threads race here)."""
        package = type_.split(":", 1)[0]
        if package == "pulumi":
            return ""
        provider_name = f"default_{version.replace('.', '_')}" if version else "default"
        key = (package, provider_name)
        with self._provider_lock:
            ref = self._default_providers.get(key)
            if ref is None:
                inputs: dict[str, Any] = dict(self._provider_config.get(package, {}))
                if version:
                    inputs["version"] = version
                request = resource_pb2.RegisterResourceRequest(
                    type=f"pulumi:providers:{package}",
                    name=provider_name,
                    parent=self.stack_urn,
                    custom=True,
                    object=dict_to_struct(inputs),
                    version=version,
                )
                urn, pid, _ = self._register(request)
                ref = self._default_providers[key] = f"{urn}::{pid or UNKNOWN}"
            return ref

    # -- registration ----------------------------------------------------------------------
    def RegisterResource(self, request: resource_pb2.RegisterResourceRequest) -> Any:
        if request.type == STACK_TYPE:
            self.stack_urn = self.make_urn("", request.type, request.name)
            self._record(request, self.stack_urn, "", {})
            return resource_pb2.RegisterResourceResponse(urn=self.stack_urn)
        _ensure_event_loop()  # type: ignore[no-untyped-call]
        self._apply_transforms(request)
        if request.custom and not request.provider and not request.type.startswith("pulumi:providers:"):
            request.provider = self._default_provider(request.type, request.version)
        urn, id_, obj_proto = self._register(request)
        return resource_pb2.RegisterResourceResponse(urn=urn, id=id_, object=obj_proto)

    def _register(self, request: resource_pb2.RegisterResourceRequest) -> tuple[str, str, struct_pb2.Struct]:
        urn = self.make_urn(request.parent, request.type, request.name)
        if request.transforms:
            self._resource_transforms[urn] = list(request.transforms)
        inputs = downgrade_references(struct_to_dict(request.object))
        args = MockResourceArgs(
            typ=request.type,
            name=request.name,
            inputs=rpc.deserialize_properties(dict_to_struct(inputs)),
            provider=request.provider,
            resource_id=request.importId,
            custom=request.custom,
        )
        id_, state = self.mocks.new_resource(args)
        id_ = id_ or ""
        self.resources[urn] = MockMonitor.ResourceRegistration(urn, id_, state)
        obj_proto = _sync_await(rpc.serialize_properties(state, {}))
        self._record(request, urn, id_, inputs, struct_to_dict(obj_proto) if request.custom else {})
        return urn, id_, obj_proto

    def _record(
        self,
        request: resource_pb2.RegisterResourceRequest,
        urn: str,
        id_: str,
        inputs: dict[str, Any],
        outputs: dict[str, Any] | None = None,
    ) -> None:
        timeouts = request.customTimeouts
        options: dict[str, Any] = {
            "protect": request.protect,
            "ignoreChanges": list(request.ignoreChanges),
            "deleteBeforeReplace": request.deleteBeforeReplace
            if request.deleteBeforeReplaceDefined
            else None,
            "additionalSecretOutputs": list(request.additionalSecretOutputs),
            "aliases": list(request.aliasURNs),
            "customTimeouts": {
                "create": timeouts.create,
                "update": timeouts.update,
                "delete": timeouts.delete,
            },
            "retainOnDelete": request.retainOnDelete,
            "replaceOnChanges": list(request.replaceOnChanges),
            "deletedWith": request.deletedWith,
            "importId": request.importId,
            "version": request.version,
            "remote": request.remote,
        }
        registration = Registration(
            frames=self._own_frames(request),
            urn=urn,
            type=request.type,
            name=request.name,
            custom=bool(request.custom),
            parent=request.parent,
            provider=request.provider,
            id=id_,
            inputs=inputs,
            dependencies=list(request.dependencies),
            property_dependencies={k: list(v.urns) for k, v in request.propertyDependencies.items()},
            options=options,
            outputs=outputs or {},
        )
        with self._lock:
            self._by_urn[urn] = registration
            self._parents[urn] = request.parent
            self.registrations.append(registration)
            if self.on_record is not None:
                self.on_record(registration)

    def _own_frames(self, request: resource_pb2.RegisterResourceRequest) -> list[dict[str, Any]]:
        """The frames of the program's own files that led to this registration, innermost first (from the
        stack trace the SDK sends with every RegisterResource; virtualenvs and installed packages excluded)."""
        if self._program_dir is None:
            return []
        frames = []
        for frame in request.stackTrace.frames:
            location = source_location(frame.pc.uri, frame.pc.line, self._program_dir)
            if location is not None:
                frames.append(location)
        return frames

    def RegisterResourceOutputs(self, request: resource_pb2.RegisterResourceOutputsRequest) -> Any:
        outputs = downgrade_references(struct_to_dict(request.outputs))
        if request.urn == self.stack_urn:
            self.stack_outputs = outputs
        with self._lock:
            registration = self._by_urn.get(request.urn)
            if registration is not None:
                registration.outputs = outputs
        return super().RegisterResourceOutputs(request)  # type: ignore[no-untyped-call]
