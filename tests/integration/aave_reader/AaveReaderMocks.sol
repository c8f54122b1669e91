// SPDX-License-Identifier: BUSL-1.1
// Stand-ins with the ABI of @aave/core-v3 1.19.3's Pool views, events,
// PoolAddressesProvider, AaveOracle and the scaled tokens, so the adapter's
// decoders meet what solc itself encodes (the dynamic EModeCategory tuple,
// getReservesList's array shortened in assembly) without deploying Aave.
// DataTypes' structs and IPool's events are copied verbatim; the Pool's
// getReservesList body too. The real market is src/keeper/devnet/aave_devnet.
pragma solidity 0.8.19;

library DataTypes {
  struct ReserveData {
    ReserveConfigurationMap configuration;
    uint128 liquidityIndex;
    uint128 currentLiquidityRate;
    uint128 variableBorrowIndex;
    uint128 currentVariableBorrowRate;
    uint128 currentStableBorrowRate;
    uint40 lastUpdateTimestamp;
    uint16 id;
    address aTokenAddress;
    address stableDebtTokenAddress;
    address variableDebtTokenAddress;
    address interestRateStrategyAddress;
    uint128 accruedToTreasury;
    uint128 unbacked;
    uint128 isolationModeTotalDebt;
  }

  struct ReserveConfigurationMap {
    uint256 data;
  }

  struct UserConfigurationMap {
    uint256 data;
  }

  struct EModeCategory {
    uint16 ltv;
    uint16 liquidationThreshold;
    uint16 liquidationBonus;
    address priceSource;
    string label;
  }

  enum InterestRateMode {NONE, STABLE, VARIABLE}
}

contract PoolMock {
  event Supply(address indexed reserve, address user, address indexed onBehalfOf, uint256 amount, uint16 indexed referralCode);
  event Withdraw(address indexed reserve, address indexed user, address indexed to, uint256 amount);
  event Borrow(
    address indexed reserve,
    address user,
    address indexed onBehalfOf,
    uint256 amount,
    DataTypes.InterestRateMode interestRateMode,
    uint256 borrowRate,
    uint16 indexed referralCode
  );
  event Repay(address indexed reserve, address indexed user, address indexed repayer, uint256 amount, bool useATokens);
  event SwapBorrowRateMode(address indexed reserve, address indexed user, DataTypes.InterestRateMode interestRateMode);
  event UserEModeSet(address indexed user, uint8 categoryId);
  event ReserveUsedAsCollateralEnabled(address indexed reserve, address indexed user);
  event ReserveUsedAsCollateralDisabled(address indexed reserve, address indexed user);
  event RebalanceStableBorrowRate(address indexed reserve, address indexed user);
  event FlashLoan(
    address indexed target,
    address initiator,
    address indexed asset,
    uint256 amount,
    DataTypes.InterestRateMode interestRateMode,
    uint256 premium,
    uint16 indexed referralCode
  );
  event LiquidationCall(
    address indexed collateralAsset,
    address indexed debtAsset,
    address indexed user,
    uint256 debtToCover,
    uint256 liquidatedCollateralAmount,
    address liquidator,
    bool receiveAToken
  );
  event ReserveDataUpdated(
    address indexed reserve,
    uint256 liquidityRate,
    uint256 stableBorrowRate,
    uint256 variableBorrowRate,
    uint256 liquidityIndex,
    uint256 variableBorrowIndex
  );

  uint256 public constant POOL_REVISION = 0x1;

  mapping(address => DataTypes.ReserveData) internal _reserves;
  mapping(address => DataTypes.UserConfigurationMap) internal _usersConfig;
  mapping(uint256 => address) internal _reservesList;
  mapping(uint8 => DataTypes.EModeCategory) internal _eModeCategories;
  mapping(address => uint8) internal _usersEModeCategory;
  uint16 internal _reservesCount;

  // Lists `asset` at data.id; ids skipped stay empty, as dropped reserves.
  function setReserve(address asset, DataTypes.ReserveData calldata data) external {
    _reserves[asset] = data;
    _reservesList[data.id] = asset;
    if (data.id >= _reservesCount) _reservesCount = data.id + 1;
  }

  function setUser(address user, uint256 configuration, uint8 categoryId) external {
    _usersConfig[user].data = configuration;
    _usersEModeCategory[user] = categoryId;
  }

  function setEModeCategory(uint8 id, DataTypes.EModeCategory calldata category) external {
    _eModeCategories[id] = category;
  }

  function getReserveData(address asset) external view returns (DataTypes.ReserveData memory) {
    return _reserves[asset];
  }

  function getUserConfiguration(address user) external view returns (DataTypes.UserConfigurationMap memory) {
    return _usersConfig[user];
  }

  function getUserEMode(address user) external view returns (uint256) {
    return _usersEModeCategory[user];
  }

  function getEModeCategoryData(uint8 id) external view returns (DataTypes.EModeCategory memory) {
    return _eModeCategories[id];
  }

  function getReservesList() external view returns (address[] memory) {
    uint256 reservesListCount = _reservesCount;
    uint256 droppedReservesCount = 0;
    address[] memory reservesList = new address[](reservesListCount);

    for (uint256 i = 0; i < reservesListCount; i++) {
      if (_reservesList[i] != address(0)) {
        reservesList[i - droppedReservesCount] = _reservesList[i];
      } else {
        droppedReservesCount++;
      }
    }

    // Reduces the length of the reserves array by `droppedReservesCount`
    assembly {
      mstore(reservesList, sub(reservesListCount, droppedReservesCount))
    }
    return reservesList;
  }

  // One of each event, with the values the test expects.
  function emitAll(address weth, address usdc, address alice, address bob, address carol) external {
    emit Supply(weth, bob, alice, 5e18, 7);
    emit Withdraw(weth, alice, bob, 1e18);
    emit Borrow(usdc, bob, alice, 2000e6, DataTypes.InterestRateMode.VARIABLE, 3e25, 0);
    emit Repay(usdc, alice, alice, 500e6, true);
    emit LiquidationCall(weth, usdc, alice, 1000e6, 525e15, carol, true);
    emit ReserveDataUpdated(weth, 1e25, 2e25, 3e25, 1.01e27, 1.02e27);
    emit ReserveUsedAsCollateralEnabled(weth, alice);
    emit ReserveUsedAsCollateralDisabled(weth, alice);
    emit UserEModeSet(alice, 1);
    emit SwapBorrowRateMode(usdc, alice, DataTypes.InterestRateMode.STABLE);
    emit RebalanceStableBorrowRate(usdc, alice);
    emit FlashLoan(bob, bob, weth, 1e18, DataTypes.InterestRateMode.NONE, 9e14, 0);
  }
}

contract ProviderMock {
  address internal _pool;
  address internal _oracle;

  constructor(address pool, address oracle) {
    _pool = pool;
    _oracle = oracle;
  }

  function getPool() external view returns (address) {
    return _pool;
  }

  function getPriceOracle() external view returns (address) {
    return _oracle;
  }
}

contract OracleMock {
  mapping(address => uint256) internal _prices;

  function setAssetPrice(address asset, uint256 price) external {
    _prices[asset] = price;
  }

  function getAssetPrice(address asset) public view returns (uint256) {
    return _prices[asset];
  }

  function getAssetsPrices(address[] calldata assets) external view returns (uint256[] memory) {
    uint256[] memory prices = new uint256[](assets.length);
    for (uint256 i = 0; i < assets.length; i++) {
      prices[i] = getAssetPrice(assets[i]);
    }
    return prices;
  }
}

// aToken, variable or stable debt token: scaledBalanceOf and balanceOf, and
// the aToken's BalanceTransfer.
contract ScaledTokenMock {
  event BalanceTransfer(address indexed from, address indexed to, uint256 value, uint256 index);

  mapping(address => uint256) public scaledBalanceOf;
  mapping(address => uint256) public balanceOf;

  function setBalances(address user, uint256 scaled, uint256 balance) external {
    scaledBalanceOf[user] = scaled;
    balanceOf[user] = balance;
  }

  function emitTransfer(address from, address to, uint256 value, uint256 index) external {
    emit BalanceTransfer(from, to, value, index);
  }
}
