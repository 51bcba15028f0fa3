"""Requested report compilations in the main table (their INSERT reaches the report_jobs consumer)."""

from __future__ import annotations

from pynamodb.exceptions import PutError

from chalicelib.domain.audit import AuditEvent
from chalicelib.domain.errors import Conflict
from chalicelib.domain.report_jobs import Job, job_from_dict, job_to_dict
from chalicelib.store import keys
from chalicelib.store.models import ReportJobItem
from chalicelib.store.tx import AuditedWrite


def _item(job: Job) -> ReportJobItem:
    return ReportJobItem(
        pk=keys.report_job(job.scope, job.id),
        sk="JOB",
        gsi1pk=keys.report_jobs(job.scope),
        gsi1sk=keys.sorted_by(job.period, job.requested_at, job.id),
        status=job.status.value,
        version=job.version,
        data=job_to_dict(job),
    )


class DynamoReportJobStore:
    """Implements domain.report_jobs.JobStore."""

    def create(self, job: Job, audit: AuditEvent) -> None:
        write = AuditedWrite(audit)
        write.put(_item(job), ReportJobItem.pk.does_not_exist(), Conflict("报表任务已存在", code="REPORT_JOB_EXISTS"))
        write.commit()

    def get(self, scope: str, job_id: str) -> Job | None:
        try:
            item = ReportJobItem.get(keys.report_job(scope, job_id), "JOB", consistent_read=True)
        except ReportJobItem.DoesNotExist:
            return None
        return job_from_dict(item.data)

    def latest(self, scope: str, period: str) -> Job | None:
        found = ReportJobItem.gsi1.query(
            keys.report_jobs(scope),
            ReportJobItem.gsi1sk.startswith(f"{period}#"),
            scan_index_forward=False,
            limit=1,
        )
        for item in found:
            if isinstance(item, ReportJobItem):
                return job_from_dict(item.data)
        return None

    def save(self, job: Job, previous: Job, audit: AuditEvent | None = None) -> bool:
        if audit is None:
            try:
                _item(job).save(ReportJobItem.version == previous.version)
            except PutError:
                return False
            return True
        write = AuditedWrite(audit)
        write.put(
            _item(job), ReportJobItem.version == previous.version, Conflict("报表任务已变化", code="REPORT_JOB_MOVED")
        )
        try:
            write.commit()
        except Conflict:
            return False
        return True
