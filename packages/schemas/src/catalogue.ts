import type { TopicSchema } from "./define-topic-schema.js";
import { accountGroupMemberAddV1 } from "./topics/account/group/member/add/v1.js";
import { accountUserCreateV1 } from "./topics/account/user/create/v1.js";
import { bugzillaBugCreateV1 } from "./topics/bugzilla/bug/create/v1.js";
import { bugzillaBugModifyV1 } from "./topics/bugzilla/bug/modify/v1.js";
import { bugzillaCommentCreateV1 } from "./topics/bugzilla/comment/create/v1.js";
import { buildsysBuildCompleteV1 } from "./topics/buildsys/build/complete/v1.js";
import { buildsysBuildStartV1 } from "./topics/buildsys/build/start/v1.js";
import { buildsysTaskStateChangeV1 } from "./topics/buildsys/task/state/change/v1.js";
import { gitBranchCreateV1 } from "./topics/git/branch/create/v1.js";
import { gitBranchDeleteV1 } from "./topics/git/branch/delete/v1.js";
import { gitPushCompleteV1 } from "./topics/git/push/complete/v1.js";
import { gitReceiveV1 } from "./topics/git/receive/v1.js";
import { gitTagCreateV1 } from "./topics/git/tag/create/v1.js";
import { loggerLogV1 } from "./topics/logger/log/v1.js";
import { mirrorMasterInSyncV1 } from "./topics/mirror/master/in_sync/v1.js";
import { mirrorMasterOutOfSyncV1 } from "./topics/mirror/master/out_of_sync/v1.js";
import { mirrorTier1SyncCompleteV1 } from "./topics/mirror/tier1/sync/complete/v1.js";
import { mirrorTier1SyncStartV1 } from "./topics/mirror/tier1/sync/start/v1.js";
import { wikiArticleEditV1_1 } from "./topics/wiki/article/edit/v1.1.js";
import { wikiArticleEditV1 } from "./topics/wiki/article/edit/v1.js";
import { wikiPageDeleteV1 } from "./topics/wiki/page/delete/v1.js";
import { wikiUploadCompleteV1 } from "./topics/wiki/upload/complete/v1.js";

/**
 * Every released schema version. Add a new version here (never edit a released one): a minor
 * version beside its major (`v1.1.ts`), a new major when the change breaks the policy.
 */
export const catalogue: readonly TopicSchema[] = [
  accountGroupMemberAddV1,
  accountUserCreateV1,
  bugzillaBugCreateV1,
  bugzillaBugModifyV1,
  bugzillaCommentCreateV1,
  buildsysBuildCompleteV1,
  buildsysBuildStartV1,
  buildsysTaskStateChangeV1,
  gitBranchCreateV1,
  gitBranchDeleteV1,
  gitPushCompleteV1,
  gitReceiveV1,
  gitTagCreateV1,
  loggerLogV1,
  mirrorMasterInSyncV1,
  mirrorMasterOutOfSyncV1,
  mirrorTier1SyncCompleteV1,
  mirrorTier1SyncStartV1,
  wikiArticleEditV1,
  wikiArticleEditV1_1,
  wikiPageDeleteV1,
  wikiUploadCompleteV1,
] as unknown as readonly TopicSchema[];
