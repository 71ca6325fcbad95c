"""The OAuth2 password flow: a user name and password for a short-lived bearer token (with a
lockout after repeated failures), its refresh: a still-valid token for a fresh one, so an
active session outlives one token, and a user's change of his own password."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, status
from fastapi.security import OAuth2PasswordRequestForm

from app.api.deps import current_user, oauth2
from app.api.models import Detail, PasswordChange, Token
from app.errors import NotAuthenticated
from app.security import logins, tokens, users
from app.security.users import User

router = APIRouter(tags=["auth"])


def client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.post(
    "/token",
    response_model=Token,
    responses={401: {"model": Detail}, 429: {"model": Detail, "description": "Locked out"}},
)
def login(form: Annotated[OAuth2PasswordRequestForm, Depends()], request: Request) -> Token:
    """A token for a user name and password; after 5 failures in 15 minutes for one user from
    one address, 429 until the window has passed."""
    user = logins.login(form.username, form.password, client(request))
    token, lifetime = tokens.issue(user)
    return Token(access_token=token, expires_in=lifetime)


@router.post(
    "/users/me/password",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={401: {"model": Detail}, 422: {"model": Detail}, 429: {"model": Detail}},
)
def change_password(
    body: PasswordChange, user: Annotated[User, Depends(current_user)], request: Request
) -> None:
    """Change your own password, giving the current one; every token issued before (this one
    too) stops working, so log in again."""
    logins.login(user.name, body.old_password, client(request))
    users.set_password(user.name, body.new_password)


@router.post("/token/refresh", response_model=Token, responses={401: {"model": Detail}})
def refresh(token: Annotated[str | None, Depends(oauth2)]) -> Token:
    """Swap the bearer token for a fresh one before it expires (no password needed)."""
    if not token:
        raise NotAuthenticated("send the current token: 'Authorization: Bearer ...'")
    fresh, lifetime = tokens.refresh(token)
    return Token(access_token=fresh, expires_in=lifetime)
