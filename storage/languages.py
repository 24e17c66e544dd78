"""Who chose which language: a person for themselves, a channel for what is posted in it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import ChannelSetting, PersonSetting


def person_language(session: Session, team_id: str, user_id: str) -> str | None:
    """The language `user_id` chose, or None: they follow their Slack language."""
    query = select(PersonSetting.language).where(PersonSetting.team_id == team_id, PersonSetting.user_id == user_id)
    return session.scalar(query)


def person_languages(session: Session, team_id: str, user_ids: Iterable[str]) -> dict[str, str]:
    """The languages chosen by those of `user_ids` who chose one."""
    wanted = set(user_ids)
    if not wanted:
        return {}
    query = select(PersonSetting.user_id, PersonSetting.language).where(
        PersonSetting.team_id == team_id, PersonSetting.user_id.in_(wanted), PersonSetting.language.is_not(None)
    )
    return {key: language for key, language in session.execute(query)}


def choose_person_language(session: Session, team_id: str, user_id: str, language: str | None, now: datetime) -> None:
    """`language`, or None to follow their Slack language again."""
    setting = session.scalar(
        select(PersonSetting).where(PersonSetting.team_id == team_id, PersonSetting.user_id == user_id)
    )
    if setting is None:
        setting = PersonSetting(team_id=team_id, user_id=user_id)
        session.add(setting)
    setting.language, setting.changed_at = language, now
    session.flush()


def channel_setting(session: Session, team_id: str, channel_id: str) -> ChannelSetting | None:
    query = select(ChannelSetting).where(ChannelSetting.team_id == team_id, ChannelSetting.channel_id == channel_id)
    return session.scalar(query)


def channel_languages(session: Session, team_id: str, channel_ids: Iterable[str]) -> dict[str, str]:
    """The languages set for those of `channel_ids` that have one."""
    wanted = set(channel_ids)
    if not wanted:
        return {}
    query = select(ChannelSetting.channel_id, ChannelSetting.language).where(
        ChannelSetting.team_id == team_id, ChannelSetting.channel_id.in_(wanted)
    )
    return {key: language for key, language in session.execute(query)}


def set_channel_language(
    session: Session, team_id: str, channel_id: str, language: str, user_id: str, now: datetime
) -> ChannelSetting:
    setting = channel_setting(session, team_id, channel_id)
    if setting is None:
        setting = ChannelSetting(team_id=team_id, channel_id=channel_id)
        session.add(setting)
    setting.language, setting.changed_by, setting.changed_at = language, user_id, now
    session.flush()
    return setting
