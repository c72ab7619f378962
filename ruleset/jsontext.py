"""JSON text exactly as json.dumps(value, ensure_ascii=False) writes it, and exact numbers made JSON-ready."""
from __future__ import annotations

import json
from fractions import Fraction
from json.encoder import c_make_encoder, encode_basestring

from .numbers import to_json

_ENCODER = json.JSONEncoder(ensure_ascii=False)


def _c_dumps():
    """JSONEncoder.encode without building the C encoder anew each call; None where there is no C encoder."""
    try:
        encode = c_make_encoder(None, _ENCODER.default, encode_basestring, None, _ENCODER.key_separator,
                                _ENCODER.item_separator, False, False, True)
    except TypeError:  # another signature than CPython 3.11–3.14's
        return None

    def dumps(value) -> str:
        return encode_basestring(value) if isinstance(value, str) else "".join(encode(value, 0))
    return dumps


dumps = (_c_dumps() if c_make_encoder is not None else None) or _ENCODER.encode


_AS_IS = frozenset({str, int, bool, float, type(None)})


def json_numbers(value):
    """A copy of value with every int and Fraction (not bool) given as to_json gives it."""
    kind = type(value)
    if kind in _AS_IS:
        return value
    if kind is Fraction:
        return to_json(value)
    if kind is dict:
        return {k: v if type(v) in _AS_IS else json_numbers(v) for k, v in value.items()}
    if kind is list:
        return [v if type(v) in _AS_IS else json_numbers(v) for v in value]
    if isinstance(value, (int, Fraction)) and not isinstance(value, bool):
        return to_json(value)
    if isinstance(value, dict):
        return {k: json_numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [json_numbers(v) for v in value]
    return value
