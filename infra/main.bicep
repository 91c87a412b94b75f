// Serverless2FA in Azure: one resource group holding a Flex Consumption Function App, its
// storage, its Key Vault and its monitoring, all reached with one user-assigned managed
// identity. `azd up` deploys it (azure.yaml at the repository root).
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name; names the resource group and seeds every resource name.')
param environmentName string

@minLength(1)
@description('Azure region for every resource. It must offer Flex Consumption.')
param location string

@description('Object id of the deploying user or principal, granted Key Vault Secrets Officer so it can set the secrets; empty to skip.')
param principalId string = ''

@description('Kind of principal principalId is.')
@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param principalType string = 'User'

@description('Custom domain already bound to the app (e.g. 2fa.example.com); empty to use the app\'s default host name in texted links.')
param customDomainName string = ''

@description('Twilio sender number in E.164; give this or twilioMessagingServiceSid.')
param twilioFromNumber string = ''

@description('Twilio Messaging Service SID; give this or twilioFromNumber.')
param twilioMessagingServiceSid string = ''

@description('Twilio REST origin.')
param twilioApiBaseUrl string = 'https://api.twilio.com'

@description('Longest one text, its retries included, may wait on Twilio before the request answers 503 (hh:mm:ss).')
param twilioSendBudget string = '00:00:10'

@description('Name shown in authenticator apps.')
param issuer string = 'Serverless2FA'

@description('Six-field CRON of the expiry timer.')
param expirySchedule string = '0 * * * * *'

@description('Prefix for the service\'s table names.')
param tablePrefix string = 's2fa'

@description('Longest one Table Storage or Key Vault call, its retries included, may take before the request answers 503 (hh:mm:ss).')
param storageRequestBudget string = '00:00:10'

@description('How long a secret read from Key Vault is cached in memory (hh:mm:ss).')
param keyVaultCacheTtl string = '00:30:00'

@description('Lifetime of a texted setup link (hh:mm:ss).')
param enrollmentLinkTtl string = '00:15:00'

@description('Lifetime of a setup session (hh:mm:ss).')
param enrollmentSessionTtl string = '00:30:00'

@description('How recent an approved verification must be to replace a factor (step-up, hh:mm:ss).')
param enrollmentStepUpTtl string = '00:10:00'

@description('Whether security notices (factor replaced, two-factor off, emergency codes, hard lock) are texted.')
param noticesEnabled bool = true

@description('Lifetime of an SMS code and a log-in verification (hh:mm:ss).')
param verificationCodeTtl string = '00:10:00'

@description('Wrong codes before a verification is locked.')
@minValue(1)
param verificationMaxAttempts int = 5

@description('Shortest gap between two texted codes to one phone (hh:mm:ss).')
param verificationResendCooldown string = '00:00:30'

@description('Lock after MaxAttempts consecutive wrong codes; doubles on repeat, up to a day (hh:mm:ss).')
param verificationLockoutPeriod string = '00:15:00'

@description('Consecutive wrong codes after which the factor stays locked until the relying app resets it.')
@minValue(1)
param verificationHardLockAfter int = 100

@description('Lifetime of a remembered computer (d.hh:mm:ss).')
param verificationDeviceTtl string = '30.00:00:00'

@description('Remembered computers kept per user.')
@minValue(1)
param verificationMaxDevices int = 10

@description('ISO 3166 regions that may receive texts, comma separated.')
param smsAllowedCountries string = 'US,CA,GB,IE,DE,FR,ES,NL,AU,NZ'

@description('Log-in codes one phone number may receive in any hour.')
@minValue(1)
param smsLoginPerNumberPerHour int = 10

@description('Enrollment texts (setup links and codes) one phone number may receive in any hour.')
@minValue(1)
param smsEnrollmentPerNumberPerHour int = 3

@description('Security notices one phone number may receive in any hour.')
@minValue(1)
param smsNoticePerNumberPerHour int = 5

@description('Texts of one purpose (log-in, enrollment) one user may be sent in any hour.')
@minValue(1)
param smsPerUserPerHour int = 10

@description('Texts of one purpose the service may send to one ISO region (US and CA apart) in a clock hour.')
@minValue(1)
param smsPerCountryPerHour int = 1000

@description('Texts of all purposes the service may send in a UTC day; past it, sends answer 503 and one error is logged.')
@minValue(1)
param smsPerDay int = 20000

@description('How far back the SMS pumping guard looks at a block of numbers (d.hh:mm:ss).')
param smsPumpingWindow string = '1.00:00:00'

@description('Enrollment texts a 1,000-number block may have in the window before its conversion is judged.')
@minValue(1)
param smsPumpingMinSends int = 20

@description('Completed enrollments per enrollment text (a fraction) below which a busy block gets no more enrollment texts.')
param smsPumpingMinConversion string = '0.1'

@description('Twilio MaxPrice per message in USD (for example 0.05); empty for none.')
param smsMaxPrice string = ''

@description('Region for numbers written without a country code.')
param smsDefaultRegion string = 'US'

@description('How long one expiry sweep may work before leaving the rest to the next run (d.hh:mm:ss); below the schedule\'s interval.')
param expiryTimeBudget string = '00:00:45'

@description('How far back the first expiry sweep starts when no cursor is stored (d.hh:mm:ss).')
param expiryMaxLookBack string = '7.00:00:00'

@description('Expiry index entries handled at once.')
@minValue(1)
@maxValue(64)
param expiryParallelism int = 8

@description('How long delivery-status records are kept (d.hh:mm:ss).')
param expiryDeliveryRecordRetention string = '30.00:00:00'

@description('How long processed inbound MessageSids are remembered (d.hh:mm:ss).')
param expiryMessageSidRetention string = '30.00:00:00'

@description('How long audit entries are kept (d.hh:mm:ss).')
param expiryAuditRetention string = '365.00:00:00'

@description('The relying app\'s https endpoint for signed events (Standard Webhooks); empty for no events.')
param eventsWebhookUrl string = ''

@description('How long an undelivered event is retried before it is parked in the poison queue (d.hh:mm:ss).')
param eventsRetryFor string = '1.00:00:00'

@description('Queue the events wait in (3-56 lower-case letters, digits, hyphens); the poison queue is <name>-poison.')
@minLength(3)
@maxLength(56)
param eventsQueue string = 's2fa-events'

@description('Instances the app may scale out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Memory per instance in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
}
var deploymentContainerName = 'app-package-${take(resourceToken, 7)}'
var names = {
  identity: 'id-${resourceToken}'
  storage: 'st${resourceToken}'
  keyVault: 'kv-${resourceToken}'
  logAnalytics: 'log-${resourceToken}'
  applicationInsights: 'appi-${resourceToken}'
  plan: 'plan-${resourceToken}'
  functionApp: 'func-${resourceToken}'
}

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'app/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: names.identity
    location: location
    tags: tags
  }
}

module monitoring 'app/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: names.logAnalytics
    applicationInsightsName: names.applicationInsights
    location: location
    tags: tags
    retentionInDays: 30
  }
}

module storage 'app/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: names.storage
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
    eventsQueueName: eventsQueue
  }
}

module keyVault 'app/keyvault.bicep' = {
  name: 'keyvault'
  scope: rg
  params: {
    name: names.keyVault
    location: location
    tags: tags
    softDeleteRetentionInDays: 90
  }
}

// The modules below find the resources above by name, so the order is stated here.
module access 'app/access.bicep' = {
  name: 'access'
  scope: rg
  params: {
    identityName: names.identity
    storageAccountName: names.storage
    keyVaultName: names.keyVault
    applicationInsightsName: names.applicationInsights
    deployerPrincipalId: principalId
    deployerPrincipalType: principalType
  }
  dependsOn: [
    identity
    monitoring
    storage
    keyVault
  ]
}

// After `access`, so the host can reach its storage the first time it starts.
module functionApp 'app/function-app.bicep' = {
  name: 'function-app'
  scope: rg
  params: {
    name: names.functionApp
    planName: names.plan
    location: location
    tags: tags
    serviceName: 'api'
    identityName: names.identity
    storageAccountName: names.storage
    deploymentContainerName: deploymentContainerName
    keyVaultName: names.keyVault
    applicationInsightsName: names.applicationInsights
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    customDomainName: customDomainName
    service: {
      expirySchedule: expirySchedule
      issuer: issuer
      tablePrefix: tablePrefix
      storageRequestBudget: storageRequestBudget
      keyVaultCacheTtl: keyVaultCacheTtl
      twilioFromNumber: twilioFromNumber
      twilioMessagingServiceSid: twilioMessagingServiceSid
      twilioApiBaseUrl: twilioApiBaseUrl
      twilioSendBudget: twilioSendBudget
      enrollmentLinkTtl: enrollmentLinkTtl
      enrollmentSessionTtl: enrollmentSessionTtl
      enrollmentStepUpTtl: enrollmentStepUpTtl
      noticesEnabled: noticesEnabled
      verificationCodeTtl: verificationCodeTtl
      verificationMaxAttempts: verificationMaxAttempts
      verificationResendCooldown: verificationResendCooldown
      verificationLockoutPeriod: verificationLockoutPeriod
      verificationHardLockAfter: verificationHardLockAfter
      verificationDeviceTtl: verificationDeviceTtl
      verificationMaxDevices: verificationMaxDevices
      smsAllowedCountries: smsAllowedCountries
      smsLoginPerNumberPerHour: smsLoginPerNumberPerHour
      smsEnrollmentPerNumberPerHour: smsEnrollmentPerNumberPerHour
      smsNoticePerNumberPerHour: smsNoticePerNumberPerHour
      smsPerUserPerHour: smsPerUserPerHour
      smsPerCountryPerHour: smsPerCountryPerHour
      smsPerDay: smsPerDay
      smsPumpingWindow: smsPumpingWindow
      smsPumpingMinSends: smsPumpingMinSends
      smsPumpingMinConversion: smsPumpingMinConversion
      smsMaxPrice: smsMaxPrice
      smsDefaultRegion: smsDefaultRegion
      expiryTimeBudget: expiryTimeBudget
      expiryMaxLookBack: expiryMaxLookBack
      expiryParallelism: expiryParallelism
      expiryDeliveryRecordRetention: expiryDeliveryRecordRetention
      expiryMessageSidRetention: expiryMessageSidRetention
      expiryAuditRetention: expiryAuditRetention
      eventsWebhookUrl: eventsWebhookUrl
      eventsRetryFor: eventsRetryFor
      eventsQueue: eventsQueue
    }
  }
  dependsOn: [
    access
  ]
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output SERVICE_API_NAME string = functionApp.outputs.name
output SERVICE_API_URI string = 'https://${functionApp.outputs.defaultHostName}'
output PUBLIC_BASE_URL string = functionApp.outputs.publicBaseUrl
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_KEY_VAULT_URI string = keyVault.outputs.uri
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_STORAGE_QUEUE_ENDPOINT string = storage.outputs.queueEndpoint
output AZURE_MANAGED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.applicationInsightsName
