namespace Portal.Tests.Diagnostics;

/// <summary>
/// The documented examples of the diagnosis operations: the AWS API Reference's example of each action where one is
/// published (the same examples the AWS SDK and CLI references print), and, where an example lacks what diagnosis reads
/// (a failed rollout, a stopped task, an unhealthy target), a reply built from the action's Response Syntax, marked so.
/// The references print timestamps as ISO 8601; on the wire the JSON protocol carries them as numbers (ECS: seconds since
/// 1970 with a fraction, CloudWatch Logs: milliseconds), so the replies here carry the same instants as numbers.
/// </summary>
internal static class DiagnosticsExamples
{
    public const string RequestId = "5f1d2a41-3c44-4a77-9d41-example";

    // API_DescribeServices, "To describe a service": {"services": ["ecs-simple-service"]}.
    // 2016-08-29T16:25:52.130Z = 1472487952.13, 2016-08-29T16:25:58.520Z = 1472487958.52.
    public const string DescribeServicesJson = """
        {
          "failures": [],
          "services": [
            {
              "clusterArn": "arn:aws:ecs:us-east-1:012345678910:cluster/default",
              "createdAt": 1472487952.13,
              "deploymentConfiguration": { "maximumPercent": 200, "minimumHealthyPercent": 100 },
              "deployments": [
                {
                  "createdAt": 1472487952.13,
                  "desiredCount": 1,
                  "id": "ecs-svc/9223370564341623665",
                  "pendingCount": 0,
                  "runningCount": 0,
                  "status": "PRIMARY",
                  "taskDefinition": "arn:aws:ecs:us-east-1:012345678910:task-definition/hello_world:6",
                  "updatedAt": 1472487952.13
                }
              ],
              "desiredCount": 1,
              "events": [
                {
                  "createdAt": 1472487958.52,
                  "id": "38c285e5-d335-4b68-8b15-e46dedc8e88d",
                  "message": "(service ecs-simple-service) was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance 3f4de1c5-ffdd-4954-af7e-75b4be0c8841) is already using a port required by your task. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide."
                }
              ],
              "loadBalancers": [],
              "pendingCount": 0,
              "runningCount": 0,
              "serviceArn": "arn:aws:ecs:us-east-1:012345678910:service/ecs-simple-service",
              "serviceName": "ecs-simple-service",
              "status": "ACTIVE",
              "taskDefinition": "arn:aws:ecs:us-east-1:012345678910:task-definition/hello_world:6"
            }
          ]
        }
        """;

    // Built from API_DescribeServices' Response Syntax (the reference's example has no failed rollout): a service whose
    // deployment the circuit breaker failed, registered with a target group, and a service ECS did not find.
    public const string FailedRolloutJson = """
        {
          "services": [
            {
              "serviceArn": "arn:aws:ecs:eu-west-1:123456789012:service/portal-orders-dev-Cluster1A2B3C/backend-service",
              "serviceName": "backend-service",
              "clusterArn": "arn:aws:ecs:eu-west-1:123456789012:cluster/portal-orders-dev-Cluster1A2B3C",
              "status": "ACTIVE",
              "desiredCount": 2,
              "runningCount": 0,
              "pendingCount": 1,
              "launchType": "FARGATE",
              "taskDefinition": "arn:aws:ecs:eu-west-1:123456789012:task-definition/portalordersdevBackendTask:3",
              "loadBalancers": [
                {
                  "targetGroupArn": "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/portal-Backe-1ABC/0123456789abcdef",
                  "containerName": "app",
                  "containerPort": 8080
                }
              ],
              "deployments": [
                {
                  "id": "ecs-svc/1234567890123456789",
                  "status": "PRIMARY",
                  "taskDefinition": "arn:aws:ecs:eu-west-1:123456789012:task-definition/portalordersdevBackendTask:3",
                  "desiredCount": 2,
                  "pendingCount": 1,
                  "runningCount": 0,
                  "failedTasks": 3,
                  "createdAt": 1796625000.5,
                  "updatedAt": 1796625420.25,
                  "launchType": "FARGATE",
                  "rolloutState": "FAILED",
                  "rolloutStateReason": "ECS deployment circuit breaker: tasks failed to start."
                }
              ],
              "events": [
                {
                  "id": "a1b2c3d4-5678-90ab-cdef-22222EXAMPLE",
                  "createdAt": 1796625420.25,
                  "message": "(service backend-service) deployment ecs-svc/1234567890123456789 deployment failed: tasks failed to start."
                },
                {
                  "id": "a1b2c3d4-5678-90ab-cdef-11111EXAMPLE",
                  "createdAt": 1796625300,
                  "message": "(service backend-service) is unable to consistently start tasks successfully. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide."
                }
              ],
              "createdAt": 1796625000.5
            }
          ],
          "failures": [
            { "arn": "arn:aws:ecs:eu-west-1:123456789012:service/portal-orders-dev-Cluster1A2B3C/frontend-gone", "reason": "MISSING" }
          ]
        }
        """;

    // API_ListTasks, "To list the tasks in a cluster": {"cluster": "default"}.
    public const string ListTasksJson = """
        {
          "taskArns": [
            "arn:aws:ecs:us-east-1:012345678910:task/0cc43cdb-3bee-4407-9c26-c0e6ea5bee84",
            "arn:aws:ecs:us-east-1:012345678910:task/6b809ef6-c67e-4467-921f-ee261c15a0a1"
          ]
        }
        """;

    // API_DescribeTasks, "To describe a task": {"tasks": ["c5cba4eb-5dad-405e-96db-71ef8eefe6a8"]}.
    public const string DescribeTasksJson = """
        {
          "failures": [],
          "tasks": [
            {
              "clusterArn": "arn:aws:ecs:<region>:<aws_account_id>:cluster/default",
              "containerInstanceArn": "arn:aws:ecs:<region>:<aws_account_id>:container-instance/18f9eda5-27d7-4c19-b133-45adc516e8fb",
              "containers": [
                {
                  "name": "ecs-demo",
                  "containerArn": "arn:aws:ecs:<region>:<aws_account_id>:container/7c01765b-c588-45b3-8290-4ba38bd6c5a6",
                  "lastStatus": "RUNNING",
                  "networkBindings": [ { "bindIP": "0.0.0.0", "containerPort": 80, "hostPort": 80 } ],
                  "taskArn": "arn:aws:ecs:<region>:<aws_account_id>:task/c5cba4eb-5dad-405e-96db-71ef8eefe6a8"
                }
              ],
              "desiredStatus": "RUNNING",
              "lastStatus": "RUNNING",
              "overrides": { "containerOverrides": [ { "name": "ecs-demo" } ] },
              "startedBy": "ecs-svc/9223370608528463088",
              "taskArn": "arn:aws:ecs:<region>:<aws_account_id>:task/c5cba4eb-5dad-405e-96db-71ef8eefe6a8",
              "taskDefinitionArn": "arn:aws:ecs:<region>:<aws_account_id>:task-definition/amazon-ecs-sample:1"
            }
          ]
        }
        """;

    // Built from API_DescribeTasks' Response Syntax (the reference's example task is running): two stopped tasks, one
    // whose container exited, one whose image could not be pulled, worded as ECS words them.
    public const string StoppedTasksJson = """
        {
          "tasks": [
            {
              "taskArn": "arn:aws:ecs:eu-west-1:123456789012:task/portal-orders-dev-Cluster1A2B3C/0f1e2d3c4b5a69788796a5b4c3d2e1f0",
              "clusterArn": "arn:aws:ecs:eu-west-1:123456789012:cluster/portal-orders-dev-Cluster1A2B3C",
              "taskDefinitionArn": "arn:aws:ecs:eu-west-1:123456789012:task-definition/portalordersdevBackendTask:3",
              "group": "service:backend-service",
              "lastStatus": "STOPPED",
              "desiredStatus": "STOPPED",
              "stopCode": "EssentialContainerExited",
              "stoppedReason": "Essential container in task exited",
              "createdAt": 1796625010,
              "startedAt": 1796625042.123,
              "stoppedAt": 1796625060.5,
              "containers": [
                {
                  "containerArn": "arn:aws:ecs:eu-west-1:123456789012:container/portal-orders-dev-Cluster1A2B3C/0f1e2d3c/1a2b3c4d",
                  "name": "app",
                  "image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders-backend:fail-exit",
                  "lastStatus": "STOPPED",
                  "exitCode": 1,
                  "healthStatus": "UNKNOWN"
                }
              ]
            },
            {
              "taskArn": "arn:aws:ecs:eu-west-1:123456789012:task/portal-orders-dev-Cluster1A2B3C/9a8b7c6d5e4f30211203f4e5d6c7b8a9",
              "lastStatus": "STOPPED",
              "desiredStatus": "STOPPED",
              "stopCode": "TaskFailedToStart",
              "stoppedReason": "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref 123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders-backend:fail-pull: not found",
              "stoppedAt": 1796625100,
              "containers": [
                {
                  "name": "app",
                  "image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders-backend:fail-pull",
                  "lastStatus": "STOPPED",
                  "reason": "CannotPullContainerError: pull image manifest has been retried 5 time(s)"
                }
              ]
            }
          ],
          "failures": []
        }
        """;

    public const string TargetGroupArn = "arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067";

    // API_DescribeTargetHealth, "To describe the health of the targets for a target group" (TargetGroupArn only), in the
    // Query protocol's XML: one target healthy, one not in use by any listener.
    public const string DescribeTargetHealthXml = """
        <DescribeTargetHealthResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/">
          <DescribeTargetHealthResult>
            <TargetHealthDescriptions>
              <member>
                <Target><Id>i-0f76fade</Id><Port>80</Port></Target>
                <TargetHealth>
                  <Description>Given target group is not configured to receive traffic from ELB</Description>
                  <Reason>Target.NotInUse</Reason>
                  <State>unused</State>
                </TargetHealth>
              </member>
              <member>
                <HealthCheckPort>80</HealthCheckPort>
                <Target><Id>i-0f76fade</Id><Port>80</Port></Target>
                <TargetHealth><State>healthy</State></TargetHealth>
              </member>
            </TargetHealthDescriptions>
          </DescribeTargetHealthResult>
          <ResponseMetadata>
            <RequestId>c534f810-f389-11e5-9192-3fff33344cfa</RequestId>
          </ResponseMetadata>
        </DescribeTargetHealthResponse>
        """;

    // Built from API_DescribeTargetHealth's Response Syntax: a Fargate task's IP failing its health check.
    public const string UnhealthyTargetXml = """
        <DescribeTargetHealthResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/">
          <DescribeTargetHealthResult>
            <TargetHealthDescriptions>
              <member>
                <HealthCheckPort>8080</HealthCheckPort>
                <Target><Id>10.0.3.17</Id><Port>8080</Port><AvailabilityZone>eu-west-1a</AvailabilityZone></Target>
                <TargetHealth>
                  <State>unhealthy</State>
                  <Reason>Target.ResponseCodeMismatch</Reason>
                  <Description>Health checks failed with these codes: [404]</Description>
                </TargetHealth>
              </member>
            </TargetHealthDescriptions>
          </DescribeTargetHealthResult>
          <ResponseMetadata><RequestId>0f8e7d6c-5b4a-4392-8170-example</RequestId></ResponseMetadata>
        </DescribeTargetHealthResponse>
        """;

    // The CloudWatch Logs reference's GetLogEvents example: log group "my-logs", stream "20150601".
    public const string GetLogEventsJson = """
        {
          "nextForwardToken": "f/31961209122447488583055879464742346735121166569214640130",
          "events": [
            { "ingestionTime": 1433190494190, "timestamp": 1433190184356, "message": "Example Event 1" },
            { "ingestionTime": 1433190516679, "timestamp": 1433190184356, "message": "Example Event 1" },
            { "ingestionTime": 1433190494190, "timestamp": 1433190184358, "message": "Example Event 2" }
          ],
          "nextBackwardToken": "b/31961209122358285602261756944988674324553373268216709120"
        }
        """;

    /// <summary>A JSON 1.1 error as ECS and CloudWatch Logs send it (Common Errors: <c>__type</c> and <c>message</c>).</summary>
    public static string JsonError(string code, string message) =>
        $$"""{"__type":"com.amazonaws.service#{{code}}","message":"{{message}}"}""";

    /// <summary>A Query protocol error as Elastic Load Balancing sends it.</summary>
    public static string XmlError(string code, string message, string type = "Sender") => $"""
        <ErrorResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/">
          <Error><Type>{type}</Type><Code>{code}</Code><Message>{message}</Message></Error>
          <RequestId>{RequestId}</RequestId>
        </ErrorResponse>
        """;
}
