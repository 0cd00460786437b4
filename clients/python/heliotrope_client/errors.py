"""The broker's gRPC errors as exceptions, with every offending field of a bad request."""
import collections

import grpc

from heliotrope_client import rpc_pb2

FieldViolation = collections.namedtuple("FieldViolation", "field description")

_BAD_REQUEST = "type.googleapis.com/google.rpc.BadRequest"
_DETAILS_KEY = "grpc-status-details-bin"


class HeliotropeError(Exception):
    """A call the broker refused or could not answer.

    code: the grpc.StatusCode; details: the broker's message; field_violations: a list of
    FieldViolation(field, description), one per problem, for INVALID_ARGUMENT.
    """

    def __init__(self, code, details, field_violations=()):
        self.code = code
        self.details = details
        self.field_violations = list(field_violations)
        super().__init__(self._text())

    def _text(self):
        name = self.code.name if self.code is not None else "ERROR"
        if self.field_violations:
            problems = "; ".join("%s: %s" % v for v in self.field_violations)
            return "%s: %s" % (name, problems)
        return "%s: %s" % (name, self.details)

    @property
    def fields(self):
        """The names of the offending fields, in the broker's order."""
        return [v.field for v in self.field_violations]


class InvalidArgument(HeliotropeError, ValueError):
    """A bad request; field_violations names each problem (the client's own checks raise it too)."""


class NotFound(HeliotropeError, LookupError):
    pass


class AlreadyExists(HeliotropeError):
    pass


class FailedPrecondition(HeliotropeError):
    """E.g. cancelling a job that has finished."""


class PermissionDenied(HeliotropeError):
    pass


class Unauthenticated(HeliotropeError):
    pass


class Unavailable(HeliotropeError, ConnectionError):
    """The broker cannot be reached (not running, wrong address, network)."""


_BY_CODE = {
    grpc.StatusCode.INVALID_ARGUMENT: InvalidArgument,
    grpc.StatusCode.NOT_FOUND: NotFound,
    grpc.StatusCode.ALREADY_EXISTS: AlreadyExists,
    grpc.StatusCode.FAILED_PRECONDITION: FailedPrecondition,
    grpc.StatusCode.PERMISSION_DENIED: PermissionDenied,
    grpc.StatusCode.UNAUTHENTICATED: Unauthenticated,
    grpc.StatusCode.UNAVAILABLE: Unavailable,
}


def field_violations(rpc_error):
    """The google.rpc.BadRequest field violations in an error's grpc-status-details-bin trailer."""
    found = []
    for key, value in rpc_error.trailing_metadata() or ():
        if key != _DETAILS_KEY:
            continue
        status = rpc_pb2.Status.FromString(value)
        for detail in status.details:
            if detail.type_url == _BAD_REQUEST:
                bad = rpc_pb2.BadRequest.FromString(detail.value)
                found.extend(FieldViolation(v.field, v.description) for v in bad.field_violations)
    return found


def from_rpc_error(rpc_error, server="the broker"):
    """The HeliotropeError subclass for a grpc.RpcError raised by a call."""
    code = rpc_error.code()
    details = rpc_error.details()
    if code == grpc.StatusCode.UNAVAILABLE:
        details = "cannot reach %s: %s; is `broker.jar serve` running there?" % (server, details)
    return _BY_CODE.get(code, HeliotropeError)(code, details, field_violations(rpc_error))


def invalid(problems):
    """A client-side InvalidArgument for [(field, description)], before anything is sent."""
    violations = [FieldViolation(f, d) for f, d in problems]
    return InvalidArgument(grpc.StatusCode.INVALID_ARGUMENT, "; ".join("%s: %s" % v for v in violations), violations)
