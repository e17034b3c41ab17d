"""Installation jobs (安装单): an appointment at a customer's address, the installer it is
dispatched to, the check-in on site, the photos taken there and the completion.

A job's number reads ``AZ-20261126-0001``: the tenant-local day it was booked and a sequence
that restarts every day, so people say just the tail (``AZ0001``, ``0001``).

The stage guards follow OCA Field Service's: a job is dispatched only with an installer and a
time window, is on site only with an actual start, and is complete only with an actual end
and a resolution. Each is a column here, checked by ``bot.installation.moves``.
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from models.crm.customers import Customer
from models.tenants import Employee, Tenant


class JobState(StrEnum):
    PENDING = "pending"  # 待排期: booked, no installer yet
    DISPATCHED = "dispatched"  # 已派工: an installer and a window
    STARTED = "started"  # 已签到/施工中: checked in on site
    COMPLETED = "completed"  # 已完工: actual end and resolution recorded
    CONFIRMED = "confirmed"  # 客户已确认
    CANCELLED = "cancelled"


OPEN_STATES = (JobState.PENDING, JobState.DISPATCHED, JobState.STARTED)
# The states whose window holds the installer's time (a double booking is checked against).
BOOKED_STATES = (JobState.DISPATCHED, JobState.STARTED)


class InstallJob(Model):
    id = fields.IntField(primary_key=True)
    tenant_id: int
    tenant: fields.ForeignKeyRelation[Tenant] = fields.ForeignKeyField(
        "models.Tenant", related_name="install_jobs", on_delete=fields.CASCADE
    )
    number = fields.CharField(max_length=24)  # AZ-20261126-0001
    day = fields.DateField()  # the tenant-local day of the number
    seq = fields.IntField()
    customer_id: int
    customer: fields.ForeignKeyRelation[Customer] = fields.ForeignKeyField(
        "crm.Customer", related_name="install_jobs", on_delete=fields.RESTRICT
    )
    order_id = fields.IntField(null=True)  # the sales order it came from (订单0001安排安装)
    address = fields.CharField(max_length=200, default="")
    items = fields.CharField(max_length=500, default="")  # 打印机2台、硒鼓4个
    contact = fields.CharField(max_length=100, default="")
    latitude = fields.FloatField(null=True)  # the address's coordinates, when known
    longitude = fields.FloatField(null=True)
    window_start = fields.DatetimeField(null=True)
    window_end = fields.DatetimeField(null=True)
    installer_id: int | None
    installer: fields.ForeignKeyNullableRelation[Employee] = fields.ForeignKeyField(
        "models.Employee", related_name="install_jobs", null=True, on_delete=fields.SET_NULL
    )
    creator_id: int | None
    creator: fields.ForeignKeyNullableRelation[Employee] = fields.ForeignKeyField(
        "models.Employee", related_name="booked_installs", null=True, on_delete=fields.SET_NULL
    )
    state = fields.CharEnumField(JobState, max_length=16, default=JobState.PENDING)
    # Bumped by every dispatch and 改约: reminders are claimed per version, so a moved job
    # never gets the old time's reminder.
    version = fields.IntField(default=0)
    accepted_at = fields.DatetimeField(null=True)  # the installer pressed 接单
    started_at = fields.DatetimeField(null=True)  # actual start (the check-in)
    checkin_latitude = fields.FloatField(null=True)
    checkin_longitude = fields.FloatField(null=True)
    checkin_label = fields.CharField(max_length=200, default="")
    checkin_distance_m = fields.IntField(null=True)
    ended_at = fields.DatetimeField(null=True)  # actual end
    resolution = fields.CharField(max_length=500, default="")
    confirmed_at = fields.DatetimeField(null=True)
    cancelled_at = fields.DatetimeField(null=True)
    cancel_reason = fields.CharField(max_length=200, default="")
    schedule_id = fields.CharField(max_length=64, default="")  # on the installer's calendar
    # A visit booked because the customer answered 还有问题 on the completion link: the job it
    # follows (one follow-up per job, so the answer makes it once) and the customer's note.
    revisit_of_id = fields.IntField(null=True, unique=True)
    revisit_reason = fields.CharField(max_length=500, default="")
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    class Meta:
        table = "install_job"
        unique_together = (("tenant", "number"), ("tenant", "day", "seq"))
        indexes = (
            ("tenant_id", "seq", "day"),  # a tail (AZ0001): the most recent day first
            ("tenant_id", "installer_id", "window_start"),  # an installer's day, overlaps
            ("tenant_id", "state", "window_start"),  # 待排期, 排期, reminders
        )


class InstallReminder(Model):
    """One reminder claimed for one version of a job's appointment: the unique key makes it
    exactly once across replicas, and a moved job (a new version) gets reminders of its own."""

    id = fields.IntField(primary_key=True)
    job_id: int
    job: fields.ForeignKeyRelation[InstallJob] = fields.ForeignKeyField(
        "installation.InstallJob", related_name="reminders", on_delete=fields.CASCADE
    )
    kind = fields.CharField(max_length=16)  # day_before, hour_before
    version = fields.IntField()
    sent_at = fields.DatetimeField()

    class Meta:
        table = "install_reminder"
        unique_together = (("job", "kind", "version"),)


class InstallPhoto(Model):
    """A photo sent on site. WeCom keeps a media id for three days, so the bytes are fetched
    at once and kept under the data directory; ``stored_path`` stays empty until they are."""

    id = fields.IntField(primary_key=True)
    job_id: int
    job: fields.ForeignKeyRelation[InstallJob] = fields.ForeignKeyField(
        "installation.InstallJob", related_name="photos", on_delete=fields.CASCADE
    )
    media_id = fields.CharField(max_length=200)
    received_at = fields.DatetimeField()
    stored_path = fields.CharField(max_length=300, default="")
    sha256 = fields.CharField(max_length=64, default="")
    size = fields.IntField(default=0)
    attempts = fields.IntField(default=0)
    last_error = fields.CharField(max_length=200, default="")
    alerted_at = fields.DatetimeField(null=True)  # the admins were told it cannot be fetched

    class Meta:
        table = "install_photo"
        unique_together = (("job", "media_id"),)


class InstallMaterial(Model):
    """A material used on the job (网线2米), as the installer said it. With the ERP-lite module
    it is posted as a stock-out under the key ``install-material:<id>``, so at most once;
    ``posted_at`` stays empty until it is (short stock, or no such product)."""

    id = fields.IntField(primary_key=True)
    job_id: int
    job: fields.ForeignKeyRelation[InstallJob] = fields.ForeignKeyField(
        "installation.InstallJob", related_name="materials", on_delete=fields.CASCADE
    )
    name = fields.CharField(max_length=60)
    qty = fields.IntField()
    unit = fields.CharField(max_length=8, default="")  # as said; may be empty
    product_id = fields.IntField(null=True)  # the catalog product it was posted as
    warehouse = fields.CharField(max_length=32, default="")
    posted_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "install_material"


class InstallSettings(Model):
    """What a tenant set with 安装设置 (a tenant without a row has the defaults)."""

    id = fields.IntField(primary_key=True)
    tenant_id: int
    tenant: fields.OneToOneRelation[Tenant] = fields.OneToOneField(
        "models.Tenant", related_name="install_settings", on_delete=fields.CASCADE
    )
    window_minutes = fields.IntField(default=120)
    travel_minutes = fields.IntField(default=30)
    required_photos = fields.IntField(default=2)

    class Meta:
        table = "install_settings"


class LinkPurpose(StrEnum):
    APPOINTMENT = "appointment"  # before the visit: the time suits, or please move it
    COMPLETION = "completion"  # after it: the work is done, or please come again


class LinkAnswer(StrEnum):
    CONFIRMED = "confirmed"
    RESCHEDULE = "reschedule"  # the customer asks for another time, with a note


class InstallLink(Model):
    """The customer's single-use link to the confirmation page (``/i/{token}``): one per job,
    purpose and version of the appointment, answered at most once (a conditional UPDATE on
    ``answered_at``). A moved appointment (a new version) makes the old appointment link stale.
    """

    id = fields.IntField(primary_key=True)
    job_id: int
    job: fields.ForeignKeyRelation[InstallJob] = fields.ForeignKeyField(
        "installation.InstallJob", related_name="links", on_delete=fields.CASCADE
    )
    purpose = fields.CharEnumField(LinkPurpose, max_length=16)
    version = fields.IntField()
    token = fields.CharField(max_length=64, unique=True)
    created_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()
    answered_at = fields.DatetimeField(null=True)
    answer = fields.CharEnumField(LinkAnswer, max_length=16, null=True)
    note = fields.CharField(max_length=500, default="")

    class Meta:
        table = "install_link"
        unique_together = (("job", "purpose", "version"),)


class InstallDigest(Model):
    """One installer's morning list for one tenant-local day, claimed once across replicas by
    its unique key in the transaction that writes the message."""

    id = fields.IntField(primary_key=True)
    tenant_id: int
    tenant: fields.ForeignKeyRelation[Tenant] = fields.ForeignKeyField(
        "models.Tenant", related_name="install_digests", on_delete=fields.CASCADE
    )
    employee_id: int
    employee: fields.ForeignKeyRelation[Employee] = fields.ForeignKeyField(
        "models.Employee", related_name="install_digests", on_delete=fields.CASCADE
    )
    day = fields.DateField()
    sent_at = fields.DatetimeField()

    class Meta:
        table = "install_digest"
        unique_together = (("tenant", "employee", "day"),)
