// ACL reads: Gannet does not enforce ACLs (as S3 buckets with Object Ownership "bucket owner enforced",
// the default since 2023), so every bucket and object reports the owner's FULL_CONTROL grant.
import type { RestXmlReply } from '../protocol/rest-xml.ts';
import type { S3Call, S3Context } from './call.ts';
import { ownerOf, requireBucket } from './buckets.ts';
import { noSuchKey } from './errors.ts';

function ownerOnlyPolicy(ctx: S3Context): RestXmlReply {
  const owner = ownerOf(ctx);
  return {
    status: 200,
    xml: {
      root: 'AccessControlPolicy',
      body: {
        Owner: owner,
        AccessControlList: {
          Grant: [{
            Grantee: { '@_xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance', '@_xsi:type': 'CanonicalUser', ...owner },
            Permission: 'FULL_CONTROL',
          }],
        },
      },
    },
  };
}

export async function getBucketAcl(ctx: S3Context, call: S3Call): Promise<RestXmlReply> {
  await requireBucket(ctx, call.bucket!);
  return ownerOnlyPolicy(ctx);
}

export async function getObjectAcl(ctx: S3Context, call: S3Call): Promise<RestXmlReply> {
  if (!(await ctx.objects.head(call.bucket!, call.key!))) {
    await requireBucket(ctx, call.bucket!);
    throw noSuchKey(call.key!);
  }
  return ownerOnlyPolicy(ctx);
}
