# Included by protocols/CMakeLists.txt, which builds keeper::protocol_yield_v2
# from this folder's *.cpp: the pure models (yield_types, yield_math,
# cauldron_level, witch_auction) include core only; events, calls, the
# reader and the adapter use chain and the protocol API.
set(PROTOCOL_LIBS)

# devnet/: a real Yield v2 deployment on anvil for tests and the demo (never
# linked by the daemon). The pinned npm sources are under .tools/node_modules;
# $KEEPER_YIELD_NODE_MODULES overrides.
if(KEEPER_DEMO OR KEEPER_TESTS OR KEEPER_BENCH)
  keeper_library(protocol_yield_v2_devnet
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/devnet/yield_devnet.cpp
    PUBLIC keeper::protocol_yield_v2 keeper::app_devnet)
  target_compile_definitions(keeper_protocol_yield_v2_devnet PRIVATE
    KEEPER_YIELD_NODE_MODULES="${PROJECT_SOURCE_DIR}/.tools/node_modules")
endif()
