# Aave v3.6 (POOL_REVISION 10) deployed from its sources on anvil: the exact
# model (margin/aave_v3, PoolRules::V3_6) against the pool's own answers.
set(INTEGRATION_LIBS keeper::app_daemon keeper::protocols keeper::app_devnet keeper::chain keeper::margin)
