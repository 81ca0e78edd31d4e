import { strict as assert } from 'assert';
import { composeFile, lint, only, producer } from './helpers';

const twice = (l: ReturnType<typeof lint>) => only(l, 'csc-in-multiple-producers').map((h) => h.text);

// Shapes of lsst-it/docker-compose-ops kafka_writers (2021): each producer on its own DDS domain
// from setup_kp.env (DOMAINID_AUXTEL=2, DOMAINID_COMCAM=1…), one partition prefix, one broker.
describe('double writing follows the data path (domain, partition, broker)', () => {
  const vars = { CYCLE: 'c0017', DOMAINID_AUXTEL: '2', DOMAINID_COMCAM: '1', DOMAINID_LATISS: '1' };

  it('the same CSC on two DDS domains is different data: no finding', () => {
    const l = lint(
      composeFile(
        producer('salkafka-auxtel', 'ATDome ATPtg', { env: { LSST_DDS_DOMAIN_ID: '${DOMAINID_AUXTEL}' } }),
        producer('salkafka-comcam', 'ATDome CCCamera', { env: { LSST_DDS_DOMAIN_ID: '${DOMAINID_COMCAM}' } }),
      ),
      { variables: vars },
    );
    assert.deepEqual(twice(l), []);
  });

  it('the same CSC on the same domain, partition and broker is written twice: both flagged', () => {
    const l = lint(
      composeFile(
        producer('salkafka-comcam', 'ATDome CCCamera', { env: { LSST_DDS_DOMAIN_ID: '${DOMAINID_COMCAM}' } }),
        producer('salkafka-latiss', 'ATDome ATSpectrograph', { env: { LSST_DDS_DOMAIN_ID: '${DOMAINID_LATISS}' } }),
      ),
      { variables: vars },
    );
    assert.deepEqual(twice(l), ['ATDome', 'ATDome']);
    assert.match(only(l, 'csc-in-multiple-producers')[0].message, /DDS domain 1, partition summit, broker 10\.0\.0\.5:9094/);
  });

  it('an unset LSST_DDS_DOMAIN_ID is domain 0', () => {
    const l = lint(composeFile(producer('salkafka-a', 'ATDome', { env: { LSST_DDS_DOMAIN_ID: '<omit>' } }), producer('salkafka-b', 'ATDome', { env: { LSST_DDS_DOMAIN_ID: '0' } })));
    assert.deepEqual(twice(l), ['ATDome', 'ATDome']);
  });

  it('different partition prefixes or brokers are different EFD data: no finding', () => {
    const partitions = lint(composeFile(producer('salkafka-a', 'ATDome'), producer('salkafka-b', 'ATDome', { env: { LSST_DDS_PARTITION_PREFIX: 'tucson' } })));
    assert.deepEqual(twice(partitions), []);
    const brokers = lint(composeFile(producer('salkafka-a', 'ATDome'), producer('salkafka-b', 'ATDome', { env: { BROKER_IP: 'kafka-0-summit-efd.lsst.codes' } })));
    assert.deepEqual(twice(brokers), []);
    const ports = lint(composeFile(producer('salkafka-a', 'ATDome'), producer('salkafka-b', 'ATDome', { env: { BROKER_PORT: '31090' } })));
    assert.deepEqual(twice(ports), []);
  });

  it('LSST_DDS_DOMAIN, the partition before ts_salobj 6 (EFD/ 2020: lsatmcs, m1m3Test213), separates too', () => {
    const legacy = (name: string, csc: string, domain: string) =>
      producer(name, csc, { env: { LSST_DDS_PARTITION_PREFIX: '<omit>', LSST_DDS_DOMAIN_ID: '<omit>', LSST_DDS_DOMAIN: domain } });
    assert.deepEqual(twice(lint(composeFile(legacy('salkafka_producer_01', 'ATDome', 'lsatmcs'), legacy('salkafka_producer_05', 'ATDome', 'm1m3Test213')))), []);
    assert.deepEqual(twice(lint(composeFile(legacy('salkafka_producer_01', 'ATDome', 'lsatmcs'), legacy('salkafka_producer_02', 'ATDome', 'lsatmcs')))), ['ATDome', 'ATDome']);
  });

  it('while the domains are unresolved variables, different variables still count as different', () => {
    const l = lint(
      composeFile(
        producer('salkafka-auxtel', 'ATDome', { env: { LSST_DDS_DOMAIN_ID: '${DOMAINID_AUXTEL}' } }),
        producer('salkafka-comcam', 'ATDome', { env: { LSST_DDS_DOMAIN_ID: '${DOMAINID_COMCAM}' } }),
      ),
      { variables: { CYCLE: 'c0017' } },
    );
    assert.deepEqual(twice(l), []);
  });
});
