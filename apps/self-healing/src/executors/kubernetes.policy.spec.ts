import { parseLabelSelector } from './kubernetes.policy';

describe('pod label selectors', () => {
  it('parses key=value pairs with prefixed keys and empty values', () => {
    expect(parseLabelSelector('app=db, statefulset.kubernetes.io/pod-name=db-0,tier=')).toEqual({ app: 'db', 'statefulset.kubernetes.io/pod-name': 'db-0', tier: '' });
  });

  it('refuses an empty selector (it would isolate the whole namespace) and anything not label syntax', () => {
    for (const text of ['', ' , ', 'app', 'app!=db', 'app=db,app=web', 'bad key=x', `app=${'x'.repeat(64)}`, 'Upper.Case/app=x', 'app=db;rm']) {
      expect(() => parseLabelSelector(text)).toThrow(expect.objectContaining({ code: 'SELF_HEALING.INVALID_ADDRESS' }));
    }
  });
});
