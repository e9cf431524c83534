"""The plan metadata schema (pydantic): today's files stay valid, newer fields are optional."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator


class Implemented(BaseModel):
    """A higher-level document the plan implements, as its text cites it."""

    model_config = ConfigDict(extra="allow")
    number: str = ""
    date: str = ""
    issuer: str = ""
    title: str = ""


class PlanMeta(BaseModel):
    """What a plan's text states about itself; empty where the text does not say."""

    model_config = ConfigDict(extra="allow")
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")
    file: str = Field(min_length=1)
    province: str = Field(min_length=1)
    province_en: str = ""
    title: str = ""
    issuer: str = ""
    document_type: str = ""
    decision_number: str = ""
    decision_date: str = ""
    signer: str = ""
    signer_title: str = ""
    source_file: str = ""  # the file the text was converted from, kept beside it
    implements: list[Implemented] = []

    @field_validator("province")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("must not be blank")
        return " ".join(v.split())


def validate_meta(raw: object) -> PlanMeta:
    """The metadata as a `PlanMeta`; a ValueError names the first bad field and its value."""
    if not isinstance(raw, dict):
        raise ValueError(f"metadata must be a JSON object, not {type(raw).__name__}")
    try:
        return PlanMeta.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(x) for x in err["loc"]) or "metadata"
        got = f" (got {err['input']!r})" if err["type"] != "missing" else ""
        raise ValueError(f"{where}: {err['msg'].lower()}{got}") from None
