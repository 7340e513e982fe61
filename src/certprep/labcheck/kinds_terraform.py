"""Check kinds on Terraform, parsed with python-hcl2 (never run: no `terraform init`, no provider): a resource of a
type with attribute values and nested blocks, a variable with a validation block, a remote backend, no secret
written as a literal.

python-hcl2 gives every block as a list of bodies; strings have their quotes stripped and expressions come back
as `${...}`, which is how a literal is told from a reference.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import hcl2
from hcl2 import SerializationOptions

from certprep.labcheck.kinds_files import secret_literal, secret_patterns, walk
from certprep.labcheck.labdir import CheckFailed, KindFn, LabDir, Outcome

_OPTIONS = SerializationOptions(strip_string_quotes=True, with_comments=False)
Body = dict[str, Any]


def parse_tf(text: str, rel: str) -> Body:
    """One .tf file; CheckFailed naming the line when it does not parse."""
    try:
        data: Body = hcl2.loads(text, serialization_options=_OPTIONS)
    except Exception as exc:  # lark raises one of many UnexpectedInput subclasses
        line = getattr(exc, "line", None)
        where = f":{line}" if isinstance(line, int) and line > 0 else ""
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise CheckFailed(f"{rel}{where}: not valid Terraform: {first[:160]}") from None
    return data


def modules(lab: LabDir) -> list[tuple[str, Body]]:
    """Every .tf file of the folder, parsed; CheckFailed when there is none."""
    files = lab.files(".tf")
    if not files:
        raise CheckFailed("the lab folder has no .tf file")
    return [(rel, parse_tf(lab.text(rel), rel)) for rel in files]


def blocks(data: Body, kind: str) -> Iterator[tuple[str, str, Body]]:
    """(type or name, name or '', body) of each `kind` block: resource/data give two labels, variable one."""
    for entry in data.get(kind, []):
        for first, inner in entry.items():
            if not isinstance(inner, dict):
                continue
            if inner.get("__is_block__"):
                yield first, "", inner
            else:
                for second, body in inner.items():
                    if isinstance(body, dict):
                        yield first, second, body


def values_at(body: Any, dotted: str) -> list[Any]:
    """Every value at a dotted path (a nested block is a list of bodies: each is followed)."""
    here = [body]
    for part in dotted.split("."):
        nxt = []
        for node in here:
            for item in node if isinstance(node, list) else [node]:
                if isinstance(item, dict) and part in item:
                    nxt.append(item[part])
        here = nxt
    out: list[Any] = []
    for node in here:
        is_blocks = isinstance(node, list) and node and all(isinstance(i, dict) for i in node)
        out.extend(node if is_blocks else [node])
    return out


def _matches(found: list[Any], expected: Any) -> bool:
    want = str(expected).lower() if isinstance(expected, bool) else str(expected)
    for value in found:
        text = str(value).lower() if isinstance(value, bool) else str(value)
        if text == want or text == f"${{{want}}}":
            return True
    return False


def terraform_resource(lab: LabDir, args: Mapping[str, Any]) -> Outcome:
    kind, name = args["type"], args.get("name")
    attributes: Mapping[str, Any] = args.get("attributes", {})
    needed = list(args.get("blocks", []))
    seen = []
    for rel, data in modules(lab):
        for rtype, rname, body in blocks(data, "resource"):
            if rtype != kind or (name and rname != name):
                continue
            seen.append(f"{rel}: {rtype}.{rname}")
            missing = [b for b in needed if not values_at(body, b)]
            wrong = [k for k, v in attributes.items() if not _matches(values_at(body, k), v)]
            if not missing and not wrong:
                return True, f"{rel} declares {rtype}.{rname}"
            problem = (
                f"has no {missing[0]} block"
                if missing
                else f"{wrong[0]} is {_shown(values_at(body, wrong[0]))}, expected {attributes[wrong[0]]!r}"
            )
            seen[-1] += f" {problem}"
    label = f"{kind}.{name}" if name else f"resource of type {kind}"
    if seen:
        return False, "; ".join(seen)
    return False, f"no {label} in any .tf file"


def _shown(values: list[Any]) -> str:
    return repr(values[0]) if values else "not set"


def terraform_variable_validation(lab: LabDir, args: Mapping[str, Any]) -> Outcome:
    name = args["variable"]
    for rel, data in modules(lab):
        for vname, _, body in blocks(data, "variable"):
            if vname == name:
                if body.get("validation"):
                    return True, f"{rel}: variable {name} has a validation block"
                return False, f"{rel}: variable {name} has no validation block"
    return False, f"no variable {name!r} in any .tf file"


def terraform_backend(lab: LabDir, args: Mapping[str, Any]) -> Outcome:
    want = args["backend"]
    found: list[tuple[str, str]] = []
    for rel, data in modules(lab):
        for body in data.get("terraform", []):
            for backend in body.get("backend", []) if isinstance(body, dict) else []:
                found.extend((rel, b) for b in backend)
    for rel, kind in found:
        if kind == want:
            return True, f"{rel}: the state is kept in the {want} backend"
    if found:
        return False, f"{found[0][0]}: backend {found[0][1]!r}, not {want!r}"
    return False, "no backend block: the state stays on the machine that runs terraform"


def terraform_no_secrets(lab: LabDir, args: Mapping[str, Any]) -> Outcome:
    for rel, data in modules(lab):
        if lines := secret_patterns(lab.text(rel)):
            return False, f"{rel}:{lines[0]}: a credential is written in the file"
        for vname, _, body in blocks(data, "variable"):
            default = body.get("default")
            if secret_literal(vname, default):
                return False, f"{rel}: variable {vname} has a secret as its default value"
        for path, value in walk({k: v for k, v in data.items() if k != "variable"}):
            if isinstance(value, str) and secret_literal(path[-1], value) and not value.startswith("${"):
                return False, f"{rel}: {'.'.join(p for p in path if not p.isdigit())} is a literal secret"
    return True, "no secret is written in the Terraform files"


FUNCTIONS: dict[str, KindFn] = {
    "terraform-resource": terraform_resource,
    "terraform-variable-validation": terraform_variable_validation,
    "terraform-backend": terraform_backend,
    "terraform-no-secrets": terraform_no_secrets,
}
