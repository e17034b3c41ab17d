"""安装统计: for the admins, per installer over a period (本周, 本月, 上月, ...), the jobs
booked in it, completed, confirmed by the customer, the first-time completion and on-time
arrival rates, the average time on site and the average satisfaction score of the jobs' surveys.

- **Booked**: jobs whose appointment starts in the period, cancelled ones left out.
- **Completed**: of those, the ones with an actual end (已完工 or 客户已确认); **confirmed**:
  客户已确认.
- **First-time completion** (一次完工率): of the completed first visits, the ones the customer
  did not send back for another visit (还有问题 on the completion link books a follow-up).
- **On time**: checked in (the location message) no later than ``ON_TIME_GRACE`` after the
  appointment's start, out of those checked in.
- **Time on site** (平均用时): from the check-in to 完工, over the jobs that have both.
- **Rating**: the answered satisfaction surveys of those jobs (asked once the customer
  confirmed), on the survey's scale.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from models.installation import InstallJob, JobState
from models.surveys import Survey, SurveyStatus, SurveyTrigger
from models.tenants import Employee

ON_TIME_GRACE = timedelta(minutes=15)
DONE_STATES = (JobState.COMPLETED, JobState.CONFIRMED)


@dataclass(slots=True)
class Tally:
    booked: int = 0
    completed: int = 0
    confirmed: int = 0
    first_visits_done: int = 0
    first_time: int = 0
    checked_in: int = 0
    on_time: int = 0
    minutes_on_site: list[int] = field(default_factory=list)
    scores: list[int] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        self.booked += other.booked
        self.completed += other.completed
        self.confirmed += other.confirmed
        self.first_visits_done += other.first_visits_done
        self.first_time += other.first_time
        self.checked_in += other.checked_in
        self.on_time += other.on_time
        self.minutes_on_site += other.minutes_on_site
        self.scores += other.scores


@dataclass(frozen=True, slots=True)
class InstallStats:
    total: Tally
    by_installer: list[tuple[str, Tally]]  # by name; unassigned jobs under NOBODY


async def install_stats(tenant_id: int, start: datetime, end: datetime) -> InstallStats:
    jobs = await (
        InstallJob.filter(
            tenant_id=tenant_id,
            window_start__gte=start.astimezone(UTC),
            window_start__lt=end.astimezone(UTC),
        )
        .exclude(state=JobState.CANCELLED)
        .values(
            "id",
            "number",
            "installer_id",
            "state",
            "window_start",
            "started_at",
            "ended_at",
            "revisit_of_id",
        )
    )
    revisited = set(
        await InstallJob.filter(revisit_of_id__in=[j["id"] for j in jobs]).values_list(
            "revisit_of_id", flat=True
        )
    )
    numbers = [j["number"] for j in jobs]
    scores: dict[str, int] = {}
    if numbers:
        scores = dict(
            await Survey.filter(
                tenant_id=tenant_id,
                trigger=SurveyTrigger.INSTALL_COMPLETED,
                trigger_ref__in=numbers,
                status=SurveyStatus.ANSWERED,
            ).values_list("trigger_ref", "score")
        )
    tallies: dict[int, Tally] = defaultdict(Tally)
    for job in jobs:
        tally = tallies[job["installer_id"] or 0]
        tally.booked += 1
        state = JobState(job["state"])
        tally.completed += state in DONE_STATES
        tally.confirmed += state is JobState.CONFIRMED
        if state in DONE_STATES and job["revisit_of_id"] is None:
            tally.first_visits_done += 1
            tally.first_time += job["id"] not in revisited
        if job["started_at"] is not None:
            tally.checked_in += 1
            tally.on_time += job["started_at"] <= job["window_start"] + ON_TIME_GRACE
            if job["ended_at"] is not None:
                on_site = job["ended_at"] - job["started_at"]
                tally.minutes_on_site.append(max(0, round(on_site.total_seconds() / 60)))
        if scores.get(job["number"]) is not None:
            tally.scores.append(scores[job["number"]])
    names = dict(await Employee.filter(id__in=list(tallies)).values_list("id", "name"))
    total = Tally()
    rows = []
    for installer_id, tally in tallies.items():
        total.add(tally)
        rows.append((names.get(installer_id) or "未派工", tally))
    rows.sort(key=lambda row: (-row[1].booked, row[0]))
    return InstallStats(total, rows)


def rate_words(part: int, whole: int) -> str:
    return f"{part}/{whole}（{round(100 * part / whole)}%）" if whole else "—"


def duration_words(minutes: list[int]) -> str:
    if not minutes:
        return "—"
    average = round(sum(minutes) / len(minutes))
    hours, rest = divmod(average, 60)
    return (f"{hours}小时{rest}分" if hours else f"{rest}分") + f"（{len(minutes)} 单）"


def score_words(scores: list[int]) -> str:
    return f"{sum(scores) / len(scores):.1f}（{len(scores)} 份）" if scores else "暂无评价"
