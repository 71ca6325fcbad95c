"""The OAuth2 password flow: a user name and password for a short-lived bearer token."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.security import OAuth2PasswordRequestForm

from app.api.models import Detail, Token
from app.security import tokens, users

router = APIRouter(tags=["auth"])


@router.post("/token", response_model=Token, responses={401: {"model": Detail}})
def login(form: Annotated[OAuth2PasswordRequestForm, Depends()]) -> Token:
    user = users.authenticate(form.username, form.password)
    token, lifetime = tokens.issue(user)
    return Token(access_token=token, expires_in=lifetime)
