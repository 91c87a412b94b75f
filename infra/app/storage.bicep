// One storage account for the Functions host (blobs, queues), the Flex Consumption deployment
// package (a blob container), the service's tables and its events queue (with its poison queue). Shared keys are off: every caller,
// the host included, signs in with Entra ID.

@description('Name of the storage account (3-24 lowercase letters and digits).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region.')
param location string

@description('Tags for the account.')
param tags object

@description('Blob container that holds the app package Flex Consumption runs from.')
param deploymentContainerName string

@description('Queue the events to the relying app wait in; its poison queue is <name>-poison.')
param eventsQueueName string

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
  }

  resource blobService 'blobServices' = {
    name: 'default'

    resource deploymentContainer 'containers' = {
      name: deploymentContainerName
      properties: {
        publicAccess: 'None'
      }
    }
  }

  // Declared so they exist before the first event, and so a parked event has a known place to wait.
  resource queueService 'queueServices' = {
    name: 'default'

    resource eventsQueue 'queues' = {
      name: eventsQueueName
    }

    resource eventsPoisonQueue 'queues' = {
      name: '${eventsQueueName}-poison'
    }
  }
}

output name string = storage.name
output tableEndpoint string = storage.properties.primaryEndpoints.table
output blobEndpoint string = storage.properties.primaryEndpoints.blob
output queueEndpoint string = storage.properties.primaryEndpoints.queue
