# The journaled sender (journal + shepherd) against a real anvil and a real state store.
set(INTEGRATION_LIBS keeper::app_daemon keeper::app_state keeper::chain)
