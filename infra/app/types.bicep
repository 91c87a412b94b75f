// The service's own settings, as main.bicep hands them to the Function App. Times are .NET
// TimeSpan strings (hh:mm:ss), which is what the options binder reads.

@export()
@description('Settings bound by the options classes in functions/Serverless2FA.Core/Options.')
type serviceSettings = {
  @description('Six-field CRON of the expiry timer (ExpirySchedule).')
  expirySchedule: string

  @description('Name shown in authenticator apps (Issuer).')
  issuer: string

  @description('Prefix for table names (Storage:TablePrefix).')
  tablePrefix: string

  @description('Longest one Table Storage or Key Vault call may take, retries included (Storage:RequestBudget).')
  storageRequestBudget: string

  @description('How long a secret read from Key Vault is cached (KeyVault:CacheTtl).')
  keyVaultCacheTtl: string

  @description('Sender phone number in E.164 (Twilio:FromNumber); empty when a Messaging Service sends.')
  twilioFromNumber: string

  @description('Twilio Messaging Service SID (Twilio:MessagingServiceSid); empty when FromNumber sends.')
  twilioMessagingServiceSid: string

  @description('Twilio REST origin (Twilio:ApiBaseUrl).')
  twilioApiBaseUrl: string

  @description('Longest one text may take to send, retries included (Twilio:SendBudget).')
  twilioSendBudget: string

  @description('Lifetime of a texted setup link (Enrollment:LinkTtl).')
  enrollmentLinkTtl: string

  @description('Lifetime of a setup session (Enrollment:SessionTtl).')
  enrollmentSessionTtl: string

  @description('How recent an approved verification must be to replace a factor (Enrollment:StepUpTtl).')
  enrollmentStepUpTtl: string

  @description('Whether security notices are texted to the enrolled phone (Notices:Enabled).')
  noticesEnabled: bool

  @description('Lifetime of an SMS code and a verification (Verification:CodeTtl).')
  verificationCodeTtl: string

  @description('Wrong codes before a verification is locked (Verification:MaxAttempts).')
  verificationMaxAttempts: int

  @description('Shortest gap between two texted codes (Verification:ResendCooldown).')
  verificationResendCooldown: string

  @description('Lock period after MaxAttempts consecutive wrong codes, doubling on repeat (Verification:LockoutPeriod).')
  verificationLockoutPeriod: string

  @description('Consecutive wrong codes that lock until the relying app resets (Verification:HardLockAfter).')
  verificationHardLockAfter: int

  @description('Lifetime of a remembered computer (Verification:DeviceTtl).')
  verificationDeviceTtl: string

  @description('Remembered computers kept per user (Verification:MaxDevices).')
  verificationMaxDevices: int

  @description('ISO 3166 regions that may receive texts, comma separated (Sms:AllowedCountries).')
  smsAllowedCountries: string

  @description('Log-in codes one number may receive in any hour (Sms:LoginPerNumberPerHour).')
  smsLoginPerNumberPerHour: int

  @description('Enrollment texts one number may receive in any hour (Sms:EnrollmentPerNumberPerHour).')
  smsEnrollmentPerNumberPerHour: int

  @description('Security notices one number may receive in any hour (Sms:NoticePerNumberPerHour).')
  smsNoticePerNumberPerHour: int

  @description('Texts of one purpose (log-in, enrollment) one user may be sent in any hour (Sms:PerUserPerHour).')
  smsPerUserPerHour: int

  @description('Texts of one purpose to one ISO region in a clock hour (Sms:PerCountryPerHour).')
  smsPerCountryPerHour: int

  @description('Texts of all purposes the service may send in a UTC day (Sms:PerDay).')
  smsPerDay: int

  @description('How far back the pumping guard looks, d.hh:mm:ss (Sms:PumpingWindow).')
  smsPumpingWindow: string

  @description('Enrollment texts a 1,000-number block may have before its conversion is judged (Sms:PumpingMinSends).')
  smsPumpingMinSends: int

  @description('Completed enrollments per enrollment text below which a busy block is refused, a fraction (Sms:PumpingMinConversion).')
  smsPumpingMinConversion: string

  @description('Twilio MaxPrice per message in USD; empty for none (Sms:MaxPrice).')
  smsMaxPrice: string

  @description('Region for numbers written without a country code (Sms:DefaultRegion).')
  smsDefaultRegion: string

  @description('How long one expiry sweep may work before leaving the rest to the next run (Expiry:TimeBudget).')
  expiryTimeBudget: string

  @description('How far back the first expiry sweep starts when no cursor is stored (Expiry:MaxLookBack).')
  expiryMaxLookBack: string

  @description('Expiry index entries handled at once (Expiry:Parallelism).')
  expiryParallelism: int

  @description('How long delivery-status records are kept (Expiry:DeliveryRecordRetention).')
  expiryDeliveryRecordRetention: string

  @description('How long processed inbound MessageSids are remembered (Expiry:MessageSidRetention).')
  expiryMessageSidRetention: string

  @description('How long audit entries are kept (Expiry:AuditRetention).')
  expiryAuditRetention: string

  @description('The relying app\'s webhook endpoint for signed events, https; empty for no events (Events:WebhookUrl).')
  eventsWebhookUrl: string

  @description('How long an undelivered event is retried before it is parked (Events:RetryFor).')
  eventsRetryFor: string

  @description('Queue the events wait in (Events:Queue).')
  eventsQueue: string
}
