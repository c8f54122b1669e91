set(INTEGRATION_LIBS keeper::chain keeper::margin)
# The mocks' absolute path: __FILE__ is relative to the build folder.
set(INTEGRATION_DEFINITIONS KEEPER_AAVE_READER_MOCKS="${CMAKE_CURRENT_LIST_DIR}/AaveReaderMocks.sol")
