# An exchange's websocket market data against a local server speaking its
# exact format (tests/support/websocket_test_server.hpp): no anvil, no network.
set(INTEGRATION_LIBS keeper::oracles keeper::net)
