#!/usr/bin/env python3
"""Regenerates the checked-in stubs under heliotrope_client/ from the protos.

    python3 clients/python/generate.py [--protoc PATH]

Message modules (*_pb2.py) come from protoc (default: the one Maven uses, from ~/.m2, at the
version pinned in the parent pom): its gencode (protobuf 4.25) loads on protobuf runtimes from
4.21 (Debian 12, Ubuntu 24.04) on. Service stubs (*_pb2_grpc.py) come from grpc_tools, whose plain
stubs work on every grpcio. tests/test_stubs_current.py fails when the checked-in files no longer
describe the protos.
"""
import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
API_PROTOS = os.path.join(ROOT, "proto", "src", "main", "proto")
OWN_PROTOS = os.path.join(HERE, "protos")
PACKAGE = os.path.join(HERE, "heliotrope_client")


def api_proto_files():
    return sorted(glob.glob(os.path.join(API_PROTOS, "heliotrope", "v1", "*.proto")))


def own_proto_files():
    return sorted(glob.glob(os.path.join(OWN_PROTOS, "heliotrope_client", "*.proto")))


def well_known_include():
    import grpc_tools
    return os.path.join(os.path.dirname(grpc_tools.__file__), "_proto")


def default_protoc():
    with open(os.path.join(ROOT, "pom.xml")) as f:
        version = re.search(r"<protobuf.version>([^<]+)</protobuf.version>", f.read()).group(1)
    found = glob.glob(os.path.expanduser(
        "~/.m2/repository/com/google/protobuf/protoc/%s/protoc-%s-linux-x86_64.exe" % (version, version)))
    if not found:
        sys.exit("no protoc %s in ~/.m2 (run a Maven build first) and no --protoc given" % version)
    # Maven's copy is not executable; run a private executable copy.
    exe = os.path.join(tempfile.mkdtemp(), "protoc")
    shutil.copy(found[0], exe)
    os.chmod(exe, 0o755)
    return exe


def rewrite_imports(path):
    """protoc writes `from heliotrope.v1 import x_pb2`; the modules live in heliotrope_client.v1."""
    with open(path) as f:
        text = f.read()
    text = re.sub(r"^from heliotrope\.v1 import ", "from heliotrope_client.v1 import ", text, flags=re.M)
    text = text.replace("(DESCRIPTOR, 'heliotrope.v1.", "(DESCRIPTOR, 'heliotrope_client.v1.")
    with open(path, "w") as f:
        f.write(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--protoc", help="protoc executable for the message modules (3.20 or later)")
    args = parser.parse_args()
    protoc = args.protoc or default_protoc()
    out = tempfile.mkdtemp()
    includes = ["-I" + API_PROTOS, "-I" + OWN_PROTOS, "-I" + well_known_include()]
    subprocess.check_call([protoc] + includes + ["--python_out=" + out] + api_proto_files() + own_proto_files())
    subprocess.check_call([sys.executable, "-m", "grpc_tools.protoc"] + includes
                          + ["--grpc_python_out=" + out] + api_proto_files())
    for generated in glob.glob(os.path.join(out, "heliotrope", "v1", "*.py")):
        target = os.path.join(PACKAGE, "v1", os.path.basename(generated))
        shutil.copy(generated, target)
        rewrite_imports(target)
    for generated in glob.glob(os.path.join(out, "heliotrope_client", "*.py")):
        shutil.copy(generated, os.path.join(PACKAGE, os.path.basename(generated)))
    print("regenerated stubs in %s" % PACKAGE)


if __name__ == "__main__":
    main()
