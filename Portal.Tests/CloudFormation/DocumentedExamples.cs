namespace Portal.Tests.CloudFormation;

/// <summary>
/// The sample requests and responses from the AWS CloudFormation API Reference (API version 2010-05-15),
/// "Examples" section of each action's page. The requests are quoted as the documented query parameters;
/// signing parameters (X-Amz-*) are left out because our requests are signed in headers.
/// </summary>
internal static class DocumentedExamples
{
    public const string RequestId = "b9b4b068-3a41-11e5-94eb-example";
    public const string ChangeSetArn = "arn:aws:cloudformation:us-east-1:123456789012:changeSet/SampleChangeSet/12a3b456-0e10-4ce0-9052-5d484a8c4e5b";

    // API_CreateChangeSet: ?Action=CreateChangeSet&ChangeSetName=SampleChangeSet&StackName=arn:...&Version=2010-05-15
    public const string CreateChangeSetXml = """
        <CreateChangeSetResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
          <CreateChangeSetResult>
            <Id>arn:aws:cloudformation:us-east-1:123456789012:changeSet/SampleChangeSet/12a3b456-0e10-4ce0-9052-5d484a8c4e5b</Id>
          </CreateChangeSetResult>
          <ResponseMetadata>
            <RequestId>b9b4b068-3a41-11e5-94eb-example</RequestId>
          </ResponseMetadata>
        </CreateChangeSetResponse>
        """;

    // API_DescribeChangeSet: ?Action=DescribeChangeSet&ChangeSetName=<ChangeSetArn>&Version=2010-05-15
    public const string DescribeChangeSetXml = """
        <DescribeChangeSetResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
          <DescribeChangeSetResult>
            <StackId>arn:aws:cloudformation:us-east-1:123456789012:stack/SampleStack/12a3b456-0e10-4ce0-9052-5d484a8c4e5b</StackId>
            <Status>CREATE_COMPLETE</Status>
            <ChangeSetId>arn:aws:cloudformation:us-east-1:123456789012:changeSet/SampleChangeSet-direct/12a3b456-0e10-4ce0-9052-5d484a8c4e5b</ChangeSetId>
            <StackName>SampleStack</StackName>
            <ChangeSetName>SampleChangeSet-direct</ChangeSetName>
            <NotificationARNs/>
            <CreationTime>2016-03-17T23:35:25.813Z</CreationTime>
            <Capabilities/>
            <Parameters>
              <member>
                <ParameterValue>testing</ParameterValue>
                <ParameterKey>Purpose</ParameterKey>
              </member>
              <member>
                <ParameterValue>MyKeyName</ParameterValue>
                <ParameterKey>KeyPairName</ParameterKey>
              </member>
              <member>
                <ParameterValue>t2.micro</ParameterValue>
                <ParameterKey>InstanceType</ParameterKey>
              </member>
            </Parameters>
            <Changes>
              <member>
                <ResourceChange>
                  <Replacement>False</Replacement>
                  <Scope>
                    <member>Tags</member>
                  </Scope>
                  <Details>
                    <member><ChangeSource>DirectModification</ChangeSource>
                      <Target>
                        <RequiresRecreation>Never</RequiresRecreation>
                        <Attribute>Tags</Attribute>
                      </Target>
                      <Evaluation>Static</Evaluation>
                    </member>
                  </Details>
                  <LogicalResourceId>MyEC2Instance</LogicalResourceId>
                  <Action>Modify</Action>
                  <PhysicalResourceId>i-1abc23d4</PhysicalResourceId>
                  <ResourceType>AWS::EC2::Instance</ResourceType>
                </ResourceChange>
                <Type>Resource</Type>
              </member>
            </Changes>
          </DescribeChangeSetResult>
          <ResponseMetadata>
            <RequestId>b9b4b068-3a41-11e5-94eb-example</RequestId>
          </ResponseMetadata>
        </DescribeChangeSetResponse>
        """;

    // API_ExecuteChangeSet: ?Action=ExecuteChangeSet&ChangeSetName=<ChangeSetArn>&Version=2010-05-15
    public const string ExecuteChangeSetXml = """
        <ExecuteChangeSetResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
          <ExecuteChangeSetResult/>
          <ResponseMetadata>
            <RequestId>5ccc7dcd-744c-11e5-be70-example</RequestId>
          </ResponseMetadata>
        </ExecuteChangeSetResponse>
        """;

    // API_DeleteChangeSet: ?Action=DeleteChangeSet&ChangeSetName=<ChangeSetArn>&Version=2010-05-15
    public const string DeleteChangeSetXml = """
        <DeleteChangeSetResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
          <DeleteChangeSetResult/>
          <ResponseMetadata>
            <RequestId>5ccc7dcd-744c-11e5-be70-example</RequestId>
          </ResponseMetadata>
        </DeleteChangeSetResponse>
        """;

    // API_DescribeStacks: ?Action=DescribeStacks&StackName=MyStack&Version=2010-05-15
    public const string DescribeStacksXml = """
        <DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
          <DescribeStacksResult>
            <Stacks>
              <member>
                <StackName>MyStack</StackName>
                <StackId>arn:aws:cloudformation:us-east-1:123456789:stack/MyStack/aaf549a0-a413-11df-adb3-5081b3858e83</StackId>
                <CreationTime>2010-07-27T22:28:28Z</CreationTime>
                <StackStatus>CREATE_COMPLETE</StackStatus>
                <DisableRollback>false</DisableRollback>
                <Outputs>
                  <member>
                    <OutputKey>StartPage</OutputKey>
                    <OutputValue>http://my-load-balancer.amazonaws.com:80/index.html</OutputValue>
                  </member>
                </Outputs>
              </member>
            </Stacks>
          </DescribeStacksResult>
          <ResponseMetadata>
            <RequestId>b9b4b068-3a41-11e5-94eb-example</RequestId>
          </ResponseMetadata>
        </DescribeStacksResponse>
        """;

    // API_DescribeStackEvents: ?Action=DescribeStackEvents&StackName=MyStack&Version=2010-05-15
    // The documented sample opens two elements as <PhysicalResourceIdI> and closes them as
    // </PhysicalResourceId>, which no XML parser accepts; that typo is corrected here.
    public const string DescribeStackEventsXml = """
        <DescribeStackEventsResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
          <DescribeStackEventsResult>
            <StackEvents>
              <member>
                <Timestamp>2016-03-15T20:54:31.809Z</Timestamp>
                <ResourceStatus>CREATE_COMPLETE</ResourceStatus>
                <StackId>arn:aws:cloudformation:us-east-1:123456789012:stack/SampleStack/12a3b456-0e10-4ce0-9052-5d484a8c4e5b</StackId>
                <EventId>1dedea10-eaf0-11e5-8451-500c5242948e</EventId>
                <LogicalResourceId>SampleStack</LogicalResourceId>
                <StackName>SampleStack</StackName>
                <PhysicalResourceId>arn:aws:cloudformation:us-east-1:123456789012:stack/SampleStack/12a3b456-0e10-4ce0-9052-5d484a8c4e5b</PhysicalResourceId>
                <ResourceType>AWS::CloudFormation::Stack</ResourceType>
              </member>
              <member>
                <Timestamp>2016-03-15T20:54:30.174Z</Timestamp>
                <ResourceStatus>CREATE_COMPLETE</ResourceStatus>
                <StackId>arn:aws:cloudformation:us-east-1:123456789012:stack/SampleStack/12a3b456-0e10-4ce0-9052-5d484a8c4e5b</StackId>
                <EventId>MyEC2Instance-CREATE_COMPLETE-2016-03-15T20:54:30.174Z</EventId>
                <LogicalResourceId>MyEC2Instance</LogicalResourceId>
                <StackName>SampleStack</StackName>
                <PhysicalResourceId>i-1abc23d4</PhysicalResourceId>
                <ResourceProperties>{"ImageId":ami-8fcee4e5",...}</ResourceProperties>
                <ResourceType>AWS::EC2::Instance</ResourceType>
              </member>
              <member>
                <Timestamp>2016-03-15T20:53:17.660Z</Timestamp>
                <ResourceStatus>CREATE_IN_PROGRESS</ResourceStatus>
                <StackId>arn:aws:cloudformation:us-east-1:123456789012:stack/SampleStack/12a3b456-0e10-4ce0-9052-5d484a8c4e5b</StackId>
                <EventId>MyEC2Instance-CREATE_IN_PROGRESS-2016-03-15T20:53:17.660Z</EventId>
                <LogicalResourceId>MyEC2Instance</LogicalResourceId>
                <ResourceStatusReason>Resource creation Initiated</ResourceStatusReason>
                <StackName>SampleStack</StackName>
                <PhysicalResourceId>i-1abc23d4</PhysicalResourceId>
                <ResourceProperties>{"ImageId":ami-8fcee4e5",...}</ResourceProperties>
                <ResourceType>AWS::EC2::Instance</ResourceType>
              </member>
              <member>
                <Timestamp>2016-03-15T20:53:16.516Z</Timestamp>
                <ResourceStatus>CREATE_IN_PROGRESS</ResourceStatus>
                <StackId>arn:aws:cloudformation:us-east-1:123456789012:stack/SampleStack/12a3b456-0e10-4ce0-9052-5d484a8c4e5b</StackId>
                <EventId>MyEC2Instance-CREATE_IN_PROGRESS-2016-03-15T20:53:16.516Z</EventId>
                <LogicalResourceId>MyEC2Instance</LogicalResourceId>
                <StackName>SampleStack</StackName>
                <PhysicalResourceId/>
                <ResourceProperties>{"ImageId":ami-8fcee4e5",...}</ResourceProperties>
                <ResourceType>AWS::EC2::Instance</ResourceType>
              </member>
              <member>
                <Timestamp>2016-03-15T20:53:11.231Z</Timestamp>
                <ResourceStatus>CREATE_IN_PROGRESS</ResourceStatus>
                <StackId>arn:aws:cloudformation:us-east-1:123456789012:stack/SampleStack/12a3b456-0e10-4ce0-9052-5d484a8c4e5b</StackId>
                <EventId>edbf2ac0-eaef-11e5-adeb-500c28903236</EventId>
                <LogicalResourceId>SampleStack</LogicalResourceId>
                <ResourceStatusReason>User Initiated</ResourceStatusReason>
                <StackName>SampleStack</StackName>
                <PhysicalResourceId>arn:aws:cloudformation:us-east-1:123456789012:stack/SampleStack/12a3b456-0e10-4ce0-9052-5d484a8c4e5b</PhysicalResourceId>
                <ResourceType>AWS::CloudFormation::Stack</ResourceType>
              </member>
            </StackEvents>
          </DescribeStackEventsResult>
          <ResponseMetadata>
            <RequestId>b9b4b068-3a41-11e5-94eb-example</RequestId>
          </ResponseMetadata>
        </DescribeStackEventsResponse>
        """;

    // API_DeleteStack: ?Action=DeleteStack&StackName=MyStack&Version=2010-05-15
    public const string DeleteStackXml = """
        <DeleteStackResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
          <ResponseMetadata>
            <RequestId>5ccc7dcd-744c-11e5-be70-example</RequestId>
          </ResponseMetadata>
        </DeleteStackResponse>
        """;

    // API_CancelUpdateStack: ?Action=CancelUpdateStack&StackName=MyStack&Version=2010-05-15
    public const string CancelUpdateStackXml = """
        <CancelUpdateStackResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
          <ResponseMetadata>
            <RequestId>5ccc7dcd-744c-11e5-be70-1b08c228efb3</RequestId>
          </ResponseMetadata>
        </CancelUpdateStackResponse>
        """;

    /// <summary>The Query protocol's error document (HTTP 400), as CloudFormation sends it.</summary>
    public static string Error(string code, string message, string type = "Sender", string requestId = "21113b58-b7e4-11e2-91fa-05ec834fa451") => $"""
        <ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
          <Error>
            <Type>{type}</Type>
            <Code>{code}</Code>
            <Message>{message}</Message>
          </Error>
          <RequestId>{requestId}</RequestId>
        </ErrorResponse>
        """;
}
