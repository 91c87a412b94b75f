// The Flex Consumption plan and the Function App, and every setting the app reads.
// The app settings are a separate `config/appsettings` resource so that PublicBaseUrl can be
// built from the site's own default host name, which exists only after the site does.
// Secrets are not here: the app reads them from Key Vault at run time with its SecretClient.

import { serviceSettings } from 'types.bicep'

@description('Name of the Function App.')
param name string

@description('Name of the Flex Consumption plan.')
param planName string

@description('Azure region.')
param location string

@description('Tags for the plan; the app adds azd-service-name.')
param tags object

@description('Service name azd deploys to this app (azure.yaml).')
param serviceName string

@description('Name of the app\'s user-assigned managed identity.')
param identityName string

@description('Name of the storage account for the host, the deployment package and the tables.')
param storageAccountName string

@description('Blob container holding the deployment package.')
param deploymentContainerName string

@description('Name of the Key Vault holding the app\'s secrets.')
param keyVaultName string

@description('Name of the Application Insights component.')
param applicationInsightsName string

@description('Instances Flex Consumption may scale out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int

@description('Memory per instance in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

@description('Custom domain the app is reached at (already bound), e.g. 2fa.example.com; empty to use the default host name.')
param customDomainName string

@description('Settings of the service itself, by the names the app binds (Section__Property).')
param service serviceSettings

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: identityName
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identity.id
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }

  // azd and the Functions tooling deploy with Entra ID tokens; nothing needs FTP or
  // basic-auth publishing credentials, so they are switched off.
  resource ftpPublishing 'basicPublishingCredentialsPolicies' = {
    name: 'ftp'
    properties: {
      allow: false
    }
  }

  resource scmPublishing 'basicPublishingCredentialsPolicies' = {
    name: 'scm'
    properties: {
      allow: false
    }
  }

  resource appSettings 'config' = {
    name: 'appsettings'
    properties: {
      // Functions host: storage and telemetry through the managed identity.
      AzureWebJobsStorage__accountName: storage.name
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identity.properties.clientId
      APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.properties.clientId};Authorization=AAD'
      // Which identity DefaultAzureCredential signs in as: the app has only a user-assigned one.
      AZURE_CLIENT_ID: identity.properties.clientId

      // The service (options classes in functions/Serverless2FA.Core/Options).
      PublicBaseUrl: empty(customDomainName) ? 'https://${app.properties.defaultHostName}' : 'https://${customDomainName}'
      ExpirySchedule: service.expirySchedule
      Issuer: service.issuer
      Storage__TableServiceUri: storage.properties.primaryEndpoints.table
      // The app's queue client and the DeliverEvent trigger (connection "Storage") use the same identity.
      Storage__QueueServiceUri: storage.properties.primaryEndpoints.queue
      Storage__credential: 'managedidentity'
      Storage__clientId: identity.properties.clientId
      Storage__TablePrefix: service.tablePrefix
      Storage__RequestBudget: service.storageRequestBudget
      KeyVault__Uri: vault.properties.vaultUri
      KeyVault__CacheTtl: service.keyVaultCacheTtl
      Twilio__FromNumber: service.twilioFromNumber
      Twilio__MessagingServiceSid: service.twilioMessagingServiceSid
      Twilio__ApiBaseUrl: service.twilioApiBaseUrl
      Twilio__SendBudget: service.twilioSendBudget
      Enrollment__LinkTtl: service.enrollmentLinkTtl
      Enrollment__SessionTtl: service.enrollmentSessionTtl
      Enrollment__StepUpTtl: service.enrollmentStepUpTtl
      Notices__Enabled: string(service.noticesEnabled)
      Verification__CodeTtl: service.verificationCodeTtl
      Verification__MaxAttempts: string(service.verificationMaxAttempts)
      Verification__ResendCooldown: service.verificationResendCooldown
      Verification__LockoutPeriod: service.verificationLockoutPeriod
      Verification__HardLockAfter: string(service.verificationHardLockAfter)
      Verification__DeviceTtl: service.verificationDeviceTtl
      Verification__MaxDevices: string(service.verificationMaxDevices)
      Sms__AllowedCountries: service.smsAllowedCountries
      Sms__LoginPerNumberPerHour: string(service.smsLoginPerNumberPerHour)
      Sms__EnrollmentPerNumberPerHour: string(service.smsEnrollmentPerNumberPerHour)
      Sms__NoticePerNumberPerHour: string(service.smsNoticePerNumberPerHour)
      Sms__PerUserPerHour: string(service.smsPerUserPerHour)
      Sms__PerCountryPerHour: string(service.smsPerCountryPerHour)
      Sms__PerDay: string(service.smsPerDay)
      Sms__PumpingWindow: service.smsPumpingWindow
      Sms__PumpingMinSends: string(service.smsPumpingMinSends)
      Sms__PumpingMinConversion: service.smsPumpingMinConversion
      Sms__MaxPrice: service.smsMaxPrice
      Sms__DefaultRegion: service.smsDefaultRegion
      Expiry__TimeBudget: service.expiryTimeBudget
      Expiry__MaxLookBack: service.expiryMaxLookBack
      Expiry__Parallelism: string(service.expiryParallelism)
      Expiry__DeliveryRecordRetention: service.expiryDeliveryRecordRetention
      Expiry__MessageSidRetention: service.expiryMessageSidRetention
      Expiry__AuditRetention: service.expiryAuditRetention
      Events__WebhookUrl: service.eventsWebhookUrl
      Events__RetryFor: service.eventsRetryFor
      Events__Queue: service.eventsQueue
    }
  }
}

output name string = app.name
output defaultHostName string = app.properties.defaultHostName
output publicBaseUrl string = empty(customDomainName) ? 'https://${app.properties.defaultHostName}' : 'https://${customDomainName}'
