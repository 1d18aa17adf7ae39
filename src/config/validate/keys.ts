// Keys the Serverless Framework accepts, split into those Gannet reads and those that only matter
// when deploying to AWS (accepted silently). Anything else gets one warning naming key and line.

const set = (s: string) => new Set(s.trim().split(/\s+/));

export const TOP_LEVEL_KEYS = set(`
  service provider functions resources custom params plugins package
  frameworkVersion app org tenant console dashboard outputs useDotenv stages build
  configValidationMode deprecationNotificationMode disabledDeprecations variablesResolutionMode
  unresolvedVariablesNotificationMode licenseKey
`);

/** Top-level keys the framework knows that change behaviour Gannet does not provide. */
export const TOP_LEVEL_UNSUPPORTED: Record<string, string> = {
  layers: 'Lambda layers are not provided: their code is not on the function\'s path',
};

export const PROVIDER_KEYS = set(`
  name runtime stage region memorySize timeout environment httpApi apiGateway iam iamRoleStatements
  iamManagedPolicies architecture profile deploymentBucket deploymentPrefix deploymentMethod
  logRetentionInDays logDataProtectionPolicy logs tags stackTags stackName stackParameters stackPolicy
  versionFunctions tracing vpc role cfnRole rolePermissionsBoundary apiName endpointType timeouts
  lambdaHashingVersion runtimeManagement kmsKeyArn notificationArns rollbackConfiguration
  disableRollback websocketsApiName websocketsApiRouteSelectionExpression websocketsDescription
  alb eventBridge cloudFront ecr s3 usagePlan apiKeys resourcePolicy disableDefaultOutputExportNames
  description
`);

/** Provider keys the framework knows whose behaviour Gannet does not provide. */
export const PROVIDER_UNSUPPORTED: Record<string, string> = {
  layers: 'Lambda layers are not provided: their code is not on the functions\' path',
};

export const FUNCTION_KEYS = set(`
  handler name runtime memorySize timeout environment events reservedConcurrency
  provisionedConcurrency maximumRetryAttempts maximumEventAge destinations onError architecture
  package module description role tags vpc tracing kmsKeyArn disableLogs logRetentionInDays logs
  versionFunction condition dependsOn iamRoleStatements iamRoleStatementsName
  iamRoleStatementsInherit ephemeralStorageSize fileSystemConfig snapStart runtimeManagement
  httpApi alarms skipEsbuild memory
`);

/** Function keys the framework knows whose behaviour Gannet does not provide. */
export const FUNCTION_UNSUPPORTED: Record<string, string> = {
  layers: 'Lambda layers are not provided: their code is not on the function\'s path',
  url: 'function URLs are not served; use an httpApi event instead',
  image: 'container image functions are not supported',
};

export const EVENT_TYPES_HANDLED = new Set(['http', 'httpApi', 'schedule', 'sqs', 'sns', 's3', 'existingS3']);
