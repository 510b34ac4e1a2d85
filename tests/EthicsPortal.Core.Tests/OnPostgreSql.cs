using EthicsPortal.Core.Tests.Audit;
using EthicsPortal.Core.Tests.Cases;
using EthicsPortal.Core.Tests.Insights;
using EthicsPortal.Core.Tests.Intake;
using EthicsPortal.Core.Tests.Notifications;
using EthicsPortal.Core.Tests.Retention;
using EthicsPortal.Core.Tests.Scale;
using EthicsPortal.Core.Tests.Security;
using EthicsPortal.Tests.Shared;

namespace EthicsPortal.Core.Tests;

// Every test that stores something runs on both providers: each class below repeats its SQLite base class's tests on a
// fresh PostgreSQL database (TestDatabase reads the attribute). Left out on purpose: tests of SQLite's own settings and
// files (Data/SqliteSettingsTests), tests with no database (sanitizer, validators, periods, suppression, messages), and
// the shared key ring (files, not the database).

[OnPostgreSql] public sealed class AuditChainTestsOnPostgreSql : AuditChainTests;
[OnPostgreSql] public sealed class AuditCoverageTestsOnPostgreSql : AuditCoverageTests;
[OnPostgreSql] public sealed class CaseAuthorizationTestsOnPostgreSql : CaseAuthorizationTests;
[OnPostgreSql] public sealed class CaseListCountTestsOnPostgreSql : CaseListCountTests;
[OnPostgreSql] public sealed class CaseListFilterTestsOnPostgreSql : CaseListFilterTests;
[OnPostgreSql] public sealed class CaseServiceTestsOnPostgreSql : CaseServiceTests;
[OnPostgreSql] public sealed class CaseWorkflowTestsOnPostgreSql : CaseWorkflowTests;
[OnPostgreSql] public sealed class DeadlineTestsOnPostgreSql : DeadlineTests;
[OnPostgreSql] public sealed class DeadlineMonitorTestsOnPostgreSql : DeadlineMonitorTests;
[OnPostgreSql] public sealed class InsightsServiceTestsOnPostgreSql : InsightsServiceTests;
[OnPostgreSql] public sealed class EmailDigestTestsOnPostgreSql : EmailDigestTests;
[OnPostgreSql] public sealed class ReporterNoticeTestsOnPostgreSql : ReporterNoticeTests;
[OnPostgreSql] public sealed class RetentionTestsOnPostgreSql : RetentionTests;
[OnPostgreSql] public sealed class TwoInstancesTestsOnPostgreSql : TwoInstancesTests;
[OnPostgreSql] public sealed class ServerHolderTestsOnPostgreSql : EthicsPortal.Core.Tests.Sealing.ServerHolderTests;
[OnPostgreSql] public sealed class LeaseTestsOnPostgreSql : LeaseTests;
[OnPostgreSql] public sealed class StaffAccountServiceTestsOnPostgreSql : StaffAccountServiceTests;
[OnPostgreSql] public sealed class CommitteeMemberListTestsOnPostgreSql : CommitteeMemberListTests;
[OnPostgreSql] public sealed class CaseAccessGrantTestsOnPostgreSql : EthicsPortal.Core.Tests.Sealing.CaseAccessGrantTests;
[OnPostgreSql] public sealed class IdentityRequestTestsOnPostgreSql : EthicsPortal.Core.Tests.Sealing.IdentityRequestTests;
[OnPostgreSql] public sealed class RecoveryTestsOnPostgreSql : EthicsPortal.Core.Tests.Sealing.RecoveryTests;
[OnPostgreSql] public sealed class QueueKeyTestsOnPostgreSql : EthicsPortal.Core.Tests.Sealing.QueueKeyTests;
[OnPostgreSql] public sealed class ReporterCopyAfterUpgradeTestsOnPostgreSql : EthicsPortal.Core.Tests.Sealing.ReporterCopyAfterUpgradeTests;
