// The bucket policy of the policy benchmarks: 100 statements with wildcards and conditions, as a large
// team's policy looks, within COS's 20 KB limit; only the last one admits the bench grantee, so every
// request walks all of them.
export function hundredStatementPolicy(bucket: string, appid: string, granteeUin: string): string {
  // An empty region segment means any region (spec/policy.md §5); it keeps 100 statements under 20 KB.
  const res = (path: string): string => `qcs::cos::uid/${appid}:${bucket}/${path}`;
  const cam = (uin: string): string => `qcs::cam::uin/${uin}:uin/${uin}`;
  const statement = (i: number): object => {
    // CAM's `uin/R:root` form names a root account in fewer bytes (spec/policy.md §3).
    const someone = { qcs: `qcs::cam::uin/${200000000000 + i}:root` };
    switch (i % 5) {
      case 0:
        return { sid: `r${i}`, effect: 'allow', principal: someone, action: ['name/cos:Get*', 'name/cos:HeadObject'], resource: res(`t${i}/*`) };
      case 1:
        return { sid: `o${i}`, effect: 'allow', principal: someone, action: 'name/cos:*Object', resource: res(`p/${i}/*/d/*`), condition: { ip_equal: { 'qcs:ip': '10.0.0.0/8' } } };
      case 2:
        return { sid: `d${i}`, effect: 'deny', principal: '*', action: 'name/cos:DeleteObject', resource: res('*') };
      case 3:
        return { sid: `l${i}`, effect: 'allow', principal: someone, action: 'name/cos:GetBucket', resource: res('*'), condition: { string_like: { 'cos:prefix': [`t${i}/*`] } } };
      default:
        return { sid: `u${i}`, effect: 'allow', principal: someone, action: 'name/cos:PutObject', resource: res(`in/${i}/*`), condition: { string_equal: { 'cos:x-cos-acl': ['private'] } } };
    }
  };
  const statements = Array.from({ length: 99 }, (_, i) => statement(i));
  statements.push({ sid: 'grantee-reads', effect: 'allow', principal: { qcs: [cam(granteeUin)] }, action: ['name/cos:GetObject'], resource: [res('obj/*')], condition: { ip_equal: { 'qcs:ip': ['127.0.0.0/8'] } } });
  return JSON.stringify({ version: '2.0', statement: statements });
}
