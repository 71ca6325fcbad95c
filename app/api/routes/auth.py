"""The OAuth2 password flow: a user name and password for a short-lived bearer token, and its
refresh: a still-valid token for a fresh one, so an active session outlives one token."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.security import OAuth2PasswordRequestForm

from app.api.deps import oauth2
from app.api.models import Detail, Token
from app.errors import NotAuthenticated
from app.security import tokens, users

router = APIRouter(tags=["auth"])


@router.post("/token", response_model=Token, responses={401: {"model": Detail}})
def login(form: Annotated[OAuth2PasswordRequestForm, Depends()]) -> Token:
    user = users.authenticate(form.username, form.password)
    token, lifetime = tokens.issue(user)
    return Token(access_token=token, expires_in=lifetime)


@router.post("/token/refresh", response_model=Token, responses={401: {"model": Detail}})
def refresh(token: Annotated[str | None, Depends(oauth2)]) -> Token:
    """Swap the bearer token for a fresh one before it expires (no password needed)."""
    if not token:
        raise NotAuthenticated("send the current token: 'Authorization: Bearer ...'")
    fresh, lifetime = tokens.refresh(token)
    return Token(access_token=fresh, expires_in=lifetime)
