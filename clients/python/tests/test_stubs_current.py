"""Fails when the checked-in stubs no longer describe the protos (regenerate with generate.py).

Compiles the protos with grpc_tools (Debian's python3-grpc-tools or pip's grpcio-tools), so it
also proves that every proto compiles with the distribution's tools.
"""
import glob
import importlib
import os
import subprocess
import sys
import tempfile
import unittest

from google.protobuf import descriptor_pb2

HERE = os.path.dirname(os.path.abspath(__file__))
PROTOS = os.environ.get("HELIOTROPE_PROTOS") or os.path.join(HERE, "..", "..", "..", "proto", "src", "main", "proto")
OWN_PROTOS = os.path.join(HERE, "..", "protos")

try:
    import grpc_tools  # noqa: F401
    MISSING = None
except ImportError:
    MISSING = "grpc_tools is not installed (Debian package python3-grpc-tools; .ci/run installs it)"
    if os.environ.get("CI", "").lower() == "true":
        raise ImportError("CI=true but " + MISSING)


def compiled(include, files):
    """FileDescriptorProtos of the files, as grpc_tools.protoc compiles them."""
    out = os.path.join(tempfile.mkdtemp(), "set.pb")
    subprocess.run([sys.executable, "-m", "grpc_tools.protoc", "-I" + include, "--descriptor_set_out=" + out] + files,
                   check=True, capture_output=True)
    with open(out, "rb") as f:
        return descriptor_pb2.FileDescriptorSet.FromString(f.read()).file


def comparable(file_proto):
    """Without json_name, which descriptor sets carry and gencode leaves out."""
    def strip(message):
        for field in message.field:
            field.ClearField("json_name")
        for nested in message.nested_type:
            strip(nested)
    for message in file_proto.message_type:
        strip(message)
    return file_proto


class RecordingChannel:
    """Records the methods a generated stub binds, instead of calling anything."""

    def __init__(self):
        self.methods = {}

    def _bind(self, kind):
        def bind(path, request_serializer=None, response_deserializer=None, **_):
            self.methods[path] = kind
        return bind

    def __getattr__(self, kind):
        if kind in ("unary_unary", "unary_stream", "stream_unary", "stream_stream"):
            return self._bind(kind)
        raise AttributeError(kind)


@unittest.skipIf(MISSING, MISSING)
class StubsCurrentTest(unittest.TestCase):
    def api_files(self):
        files = sorted(glob.glob(os.path.join(PROTOS, "heliotrope", "v1", "*.proto")))
        self.assertTrue(files, "no protos under " + PROTOS)
        return compiled(PROTOS, files)

    def test_message_modules_match_the_protos(self):
        for file_proto in self.api_files():
            module = importlib.import_module("heliotrope_client.v1." + os.path.basename(file_proto.name)[:-6] + "_pb2")
            checked_in = descriptor_pb2.FileDescriptorProto.FromString(module.DESCRIPTOR.serialized_pb)
            self.assertEqual(comparable(file_proto), comparable(checked_in),
                             file_proto.name + " changed: run python3 clients/python/generate.py")

    def test_error_detail_copies_match_their_proto(self):
        from heliotrope_client import rpc_pb2
        (file_proto,) = compiled(OWN_PROTOS, [os.path.join(OWN_PROTOS, "heliotrope_client", "rpc.proto")])
        checked_in = descriptor_pb2.FileDescriptorProto.FromString(rpc_pb2.DESCRIPTOR.serialized_pb)
        self.assertEqual(comparable(file_proto), comparable(checked_in))

    def test_service_stubs_bind_every_method_with_its_streaming(self):
        for file_proto in self.api_files():
            module = importlib.import_module("heliotrope_client.v1." + os.path.basename(file_proto.name)[:-6] + "_pb2_grpc")
            for service in file_proto.service:
                channel = RecordingChannel()
                getattr(module, service.name + "Stub")(channel)
                expected = {"/%s.%s/%s" % (file_proto.package, service.name, m.name):
                            "%s_%s" % ("stream" if m.client_streaming else "unary", "stream" if m.server_streaming else "unary")
                            for m in service.method}
                self.assertEqual(expected, channel.methods, service.name + " stubs are stale: run generate.py")


if __name__ == "__main__":
    unittest.main()
