"""The alarms the template creates, written from what it deploys (docs/operations.md says what to do for each).

One SNS topic (`OpsAlarmTopic`, output) receives every alarm. For each function (the API and every declared timer
task, schedule, stream reader and queue consumer): errors and throttles. For each dead-letter queue: a message in it.
For each state machine: a failed execution. For each table: throttled requests. For the API: 5xx answers. For the
statistics: the rollup queue's oldest change older than 15 minutes (the 统计 pages and reports are going stale), and
a report compile that failed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

TOPIC = "OpsAlarmTopic"
ROLLUP_QUEUE = "StatsRollupQueue"
STALE_ROLLUP_SECONDS = 15 * 60


def _alarm(
    description: str,
    namespace: str,
    metric: str,
    dimensions: list[dict[str, Any]],
    threshold: float,
    *,
    statistic: str = "Sum",
    period: int = 300,
    periods: int = 1,
    comparison: str = "GreaterThanOrEqualToThreshold",
) -> dict[str, Any]:
    return {
        "Type": "AWS::CloudWatch::Alarm",
        "Properties": {
            "AlarmDescription": description,
            "Namespace": namespace,
            "MetricName": metric,
            "Dimensions": dimensions,
            "Statistic": statistic,
            "Period": period,
            "EvaluationPeriods": periods,
            "Threshold": threshold,
            "ComparisonOperator": comparison,
            "TreatMissingData": "notBreaching",
            "AlarmActions": [{"Ref": TOPIC}],
            "OKActions": [{"Ref": TOPIC}],
        },
    }


def alarm_resources(resources: Mapping[str, Any], function_names: Mapping[str, Any]) -> dict[str, Any]:
    """logical id -> alarm, for the resources of the template and the functions (logical id -> FunctionName)."""
    made: dict[str, Any] = {
        TOPIC: {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": {"Fn::Sub": "${AWS::StackName}-ops-alarms"}}}
    }
    for logical_id, name in function_names.items():
        dims = [{"Name": "FunctionName", "Value": name}]
        made[f"{logical_id}ErrorsAlarm"] = _alarm(f"函数 {logical_id} 出错", "AWS/Lambda", "Errors", dims, 1)
        made[f"{logical_id}ThrottlesAlarm"] = _alarm(f"函数 {logical_id} 被限流", "AWS/Lambda", "Throttles", dims, 1)
    for logical_id, resource in resources.items():
        kind = resource.get("Type")
        if kind == "AWS::SQS::Queue" and logical_id.endswith("DeadLetterQueue"):
            dims = [{"Name": "QueueName", "Value": {"Fn::GetAtt": [logical_id, "QueueName"]}}]
            made[f"{logical_id}DepthAlarm"] = _alarm(
                f"死信队列 {logical_id} 有消息：处理失败的变更等待人工处理",
                "AWS/SQS",
                "ApproximateNumberOfMessagesVisible",
                dims,
                1,
                statistic="Maximum",
            )
        elif kind == "AWS::StepFunctions::StateMachine":
            dims = [{"Name": "StateMachineArn", "Value": {"Ref": logical_id}}]
            made[f"{logical_id}FailedAlarm"] = _alarm(
                f"状态机 {logical_id} 有执行失败", "AWS/States", "ExecutionsFailed", dims, 1
            )
        elif kind == "AWS::DynamoDB::Table":
            dims = [{"Name": "TableName", "Value": {"Ref": logical_id}}]
            made[f"{logical_id}ThrottledAlarm"] = _alarm(
                f"表 {logical_id} 的读写被限流", "AWS/DynamoDB", "ThrottledRequests", dims, 10
            )
    made["ApiServerErrorsAlarm"] = _alarm(
        "接口 5xx 答复（含 503 系统繁忙）", "AWS/ApiGateway", "5XXError", [{"Name": "ApiName", "Value": "yuncai"}], 5
    )
    if ROLLUP_QUEUE in resources:
        dims = [{"Name": "QueueName", "Value": {"Fn::GetAtt": [ROLLUP_QUEUE, "QueueName"]}}]
        made["StaleRollupsAlarm"] = _alarm(
            "统计汇总滞后：最早的待汇总变更已超过 15 分钟",
            "AWS/SQS",
            "ApproximateAgeOfOldestMessage",
            dims,
            STALE_ROLLUP_SECONDS,
            statistic="Maximum",
            periods=2,
        )
    made["ReportCompileFailedAlarm"] = _alarm(
        "统计报表编制失败",
        "YunCai",
        "ReportCompileFailed",
        [{"Name": "service", "Value": "yuncai-api"}, {"Name": "function_name", "Value": "compile_reports"}],
        1,
    )
    return made
