# Metrics, /healthz and /readyz scraped over HTTP; RPC counts from a real anvil.
set(INTEGRATION_LIBS keeper::app_daemon keeper::app_metrics keeper::chain)
