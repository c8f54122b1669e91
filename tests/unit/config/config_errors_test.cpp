// Every mistake in keeper.toml is reported with the file, the line where
// toml++ knows it, the full dotted key and what was expected.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "config_test_support.hpp"
#include "keeper/config/keeper_config.hpp"

using namespace keeper::config;
using keeper::config::testing::kMinimal;
using keeper::config::testing::kMinimalChain;
using keeper::config::testing::kMinimalProtocol;
using ::testing::HasSubstr;
using ::testing::Not;

namespace config_errors_test {

std::string error_of(const std::string& toml) {
    auto parsed = parse_config(toml, "keeper.toml");
    EXPECT_FALSE(parsed.has_value()) << "expected an error for:\n" << toml;
    return parsed.has_value() ? std::string() : parsed.error().message;
}

struct Case {
    const char* what;
    std::string toml;
    std::string message;  // the whole error, one problem
};

TEST(ConfigErrors, EachMistakeIsOneMessageNamingTheKey) {
    const Case cases[] = {
        {"misspelt key", kMinimal + "[alerts]\nformt = \"slack\"\n",  // line 7
         "keeper.toml:7: unknown key 'alerts.formt'"},
        {"unknown section", kMinimal + "[chian]\nrpc = \"http://x\"\n", "keeper.toml:6: unknown key 'chian'"},
        {"unknown top-level key", "stat_dir = \"x\"\n" + kMinimal, "keeper.toml:1: unknown key 'stat_dir'"},
        {"unknown key in a protocol", kMinimal + "adress = \"0x00\"\n",
         "keeper.toml:6: unknown key 'protocols[0].adress'"},
        {"short address", kMinimalChain + "\n\n[[protocols]]\nkind = \"morpho-blue\"\naddress = \"0x12\"\n",
         "keeper.toml:7: protocols[0].address: expected a 0x-prefixed 20-byte hex address, got \"0x12\""},
        {"address not a string", kMinimalChain + "[[protocols]]\nkind = \"aave-v3\"\npool_addresses_provider = 12\n",
         "keeper.toml:5: protocols[0].pool_addresses_provider: expected a 0x-prefixed 20-byte hex address, got 12"},
        {"bad checksum", kMinimalChain + "[[protocols]]\nkind = \"morpho-blue\"\naddress = "
                         "\"0xBBBBBbbBBb9cC5e90e3b3Af64bdAF62C37EEFFCB\"\n",
         "keeper.toml:5: protocols[0].address: bad EIP-55 checksum in \"0xBBBBBbbBBb9cC5e90e3b3Af64bdAF62C37EEFFCB\" "
         "(write it all lowercase or checksummed)"},
        {"missing address", kMinimalChain + "[[protocols]]\nkind = \"morpho-blue\"\n",
         "keeper.toml:3: protocols[0].address: required key missing"},
        {"unknown kind", kMinimalChain + "[[protocols]]\nkind = \"compound-v2\"\naddress = \"0x00\"\n",
         "keeper.toml:4: protocols[0].kind: unknown protocol kind \"compound-v2\"; known kinds: \"morpho-blue\", "
         "\"aave-v3\", \"yield-v2\""},
        {"missing kind", kMinimalChain + "[[protocols]]\naddress = \"0x00\"\n",
         "keeper.toml:3: protocols[0].kind: required key missing"},
        {"bad market id", kMinimal + "markets = [\"0x1234\"]\n",
         "keeper.toml:6: protocols[0].markets[0]: expected a 0x-prefixed 32-byte hex id (64 hex digits), got "
         "\"0x1234\""},
        {"markets not a list", kMinimal + "markets = \"all\"\n",
         "keeper.toml:6: protocols[0].markets: expected an array of market ids, got \"all\""},
        {"negative start block", kMinimal + "start_block = -1\n",
         "keeper.toml:6: protocols[0].start_block: expected a non-negative integer, got -1"},
        {"duplicate deployment", kMinimal + kMinimalProtocol,
         "keeper.toml:6: protocols[1]: the same morpho-blue deployment as protocols[0]"},
        {"no protocols", kMinimalChain, "keeper.toml: protocols: required key missing"},
        {"aTokens with a flash loan",
         kMinimalChain + "[[protocols]]\nkind = \"aave-v3\"\npool_addresses_provider = "
                         "\"0x2f39d218133afab8f2b819b1066c7e434ad94e9e\"\n"
                         "flash_liquidator = \"0x00000000000000000000000000000000000000f1\"\nreceive_a_token = true\n",
         "keeper.toml:7: protocols[0].receive_a_token: cannot be true with flash_liquidator (the flash loan is repaid "
         "by selling the collateral)"},
        {"protocols as one table", kMinimalChain + "[protocols]\nkind = \"aave-v3\"\n",
         "keeper.toml:3: protocols: expected [[protocols]] tables, got a table"},
        {"empty protocols", "protocols = []\n" + kMinimalChain,
         "keeper.toml:1: protocols: expected at least one [[protocols]] table"},
        {"no chain", kMinimalProtocol, "keeper.toml: chain: required key missing"},
        {"chain not a table", "chain = \"http://x\"\n" + kMinimalProtocol,
         "keeper.toml:1: chain: expected a table ([chain]), got \"http://x\""},
        {"no rpc", "[chain]\nchain_id = 1\n" + kMinimalProtocol, "keeper.toml:1: chain.rpc: required key missing"},
        {"rpc with another scheme", "[chain]\nrpc = [\"http://a\", \"ftp://b\"]\n" + kMinimalProtocol,
         "keeper.toml:2: chain.rpc[1]: expected an http:// or https:// URL, got scheme \"ftp\""},
        {"empty rpc list", "[chain]\nrpc = []\n" + kMinimalProtocol,
         "keeper.toml:2: chain.rpc: expected at least one http:// or https:// URL"},
        {"rpc not a string", "[chain]\nrpc = 8545\n" + kMinimalProtocol,
         "keeper.toml:2: chain.rpc: expected an http(s) URL or an array of them, got 8545"},
        {"ws over http", "[chain]\nrpc = \"http://a\"\nws = \"http://a\"\n" + kMinimalProtocol,
         "keeper.toml:3: chain.ws: expected a ws:// or wss:// URL, got scheme \"http\""},
        {"zero poll interval", "[chain]\nrpc = \"http://a\"\npoll_interval_ms = 0\n" + kMinimalProtocol,
         "keeper.toml:3: chain.poll_interval_ms: expected an integer from 1 to 3600000, got 0"},
        {"chain id as string", "[chain]\nrpc = \"http://a\"\nchain_id = \"1\"\n" + kMinimalProtocol,
         "keeper.toml:3: chain.chain_id: expected an integer >= 1, got \"1\""},
        {"both signers", kMinimal + "[signer]\nprivate_key_env = \"K\"\nkeystore = \"k.json\"\npassword_file = \"p\"\n",
         "keeper.toml:6: signer: private_key_env and keystore are mutually exclusive: choose one"},
        {"keystore without password", kMinimal + "[signer]\nkeystore = \"k.json\"\n",
         "keeper.toml:6: signer: keystore requires password_file (a file holding the keystore's password)"},
        {"password without keystore", kMinimal + "[signer]\npassword_file = \"p\"\n",
         "keeper.toml:6: signer: password_file is only used with keystore"},
        {"negative min profit", kMinimal + "[strategy]\nmin_profit = -5\n",
         "keeper.toml:7: strategy.min_profit: expected a non-negative integer (a TOML integer, or a decimal string "
         "above 2^63), got -5"},
        {"fractional min profit", kMinimal + "[strategy]\nmin_profit = \"1.5\"\n",
         "keeper.toml:7: strategy.min_profit: expected a non-negative integer (a TOML integer, or a decimal string "
         "above 2^63), got \"1.5\""},
        {"negative gas cap", kMinimal + "[strategy]\nmax_gas_price_gwei = -1.5\n",
         "keeper.toml:7: strategy.max_gas_price_gwei: expected a non-negative decimal number with at most 9 decimal "
         "places, got -1.5"},
        {"gas cap finer than a wei", kMinimal + "[strategy]\nmax_gas_price_gwei = \"0.0000000001\"\n",
         "keeper.toml:7: strategy.max_gas_price_gwei: expected a non-negative decimal number with at most 9 decimal "
         "places, got \"0.0000000001\""},
        {"zero gas cap", kMinimal + "[strategy]\nmax_gas_price_gwei = 0\n",
         "keeper.toml:7: strategy.max_gas_price_gwei: must be above 0 (leave the key out for no limit)"},
        {"zero loan cap", kMinimal + "[strategy]\nmax_loan_spend = 0\n",
         "keeper.toml:7: strategy.max_loan_spend: must be above 0 (leave the key out for no limit)"},
        {"gas margin out of range", kMinimal + "[strategy]\ngas_margin_percent = 5000\n",
         "keeper.toml:7: strategy.gas_margin_percent: expected an integer from 0 to 1000, got 5000"},
        {"zero confirmations", kMinimal + "[strategy]\nconfirmations = 0\n",
         "keeper.toml:7: strategy.confirmations: expected an integer from 1 to 1000, got 0"},
        {"native price key not an address", kMinimal + "[strategy.native_price_1e36]\nusdc = \"1\"\n",
         "keeper.toml:7: strategy.native_price_1e36.usdc: expected the key to be a loan token's 0x-prefixed 20-byte "
         "hex address"},
        {"native price of zero", kMinimal + "[strategy.native_price_1e36]\n"
                                            "\"0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48\" = 0\n",
         "keeper.toml:7: strategy.native_price_1e36.0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48: a price of 0 would "
         "make gas free: expected above 0"},
        {"unknown webhook format", kMinimal + "[alerts]\nformat = \"teams\"\n",
         "keeper.toml:7: alerts.format: expected \"generic\", \"slack\" or \"discord\", got \"teams\""},
        {"warning at the threshold", kMinimal + "[alerts]\nwarning_health = \"1.0\"\n",
         "keeper.toml:7: alerts.warning_health: must be above 1 (1.0 is the liquidation threshold), got \"1.0\""},
        {"warning health not a number", kMinimal + "[alerts]\nwarning_health = \"high\"\n",
         "keeper.toml:7: alerts.warning_health: expected a non-negative decimal number with at most 18 decimal "
         "places, got \"high\""},
        {"zero alerts per minute", kMinimal + "[alerts]\nmax_per_minute = 0\n",
         "keeper.toml:7: alerts.max_per_minute: expected an integer from 1 to 10000, got 0"},
        {"section of the wrong type", "strategy = 1\n" + kMinimal,
         "keeper.toml:1: strategy: expected a table ([strategy]), got 1"},
    };
    for (const auto& c : cases) EXPECT_EQ(error_of(c.toml), c.message) << c.what;
}

TEST(ConfigErrors, SyntaxErrorsCarryTomlPlusPlusLineAndColumn) {
    const std::string message = error_of("[chain]\nrpc = [\"http://a\"\n[[protocols]]\n");
    EXPECT_THAT(message, ::testing::StartsWith("keeper.toml:3:"));
    EXPECT_THAT(message, HasSubstr("TOML syntax error: "));
}

TEST(ConfigErrors, EveryProblemInTheFileIsReportedAtOnce) {
    const std::string toml = "[chain]\nrcp = \"http://a\"\n" + kMinimalProtocol + "start_block = \"soon\"\n";
    EXPECT_EQ(error_of(toml),
              "keeper.toml:1: chain.rpc: required key missing\n"
              "keeper.toml:2: unknown key 'chain.rcp'\n"
              "keeper.toml:6: protocols[0].start_block: expected a non-negative integer, got \"soon\"");
}

TEST(ConfigErrors, AnUnknownKeyInAnInlineTableIsNamedByItsFullPath) {
    const std::string toml = "chain = { rpc = \"http://a\", retries = 3 }\n" + kMinimalProtocol;
    EXPECT_EQ(error_of(toml), "keeper.toml:1: unknown key 'chain.retries'");
}

// A private key pasted where the variable's name belongs must not end up in a
// log through the error that rejects it.
TEST(ConfigErrors, APrivateKeyInPrivateKeyEnvIsRejectedWithoutEchoingIt) {
    const std::string key = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
    const std::string message = error_of(kMinimal + "[signer]\nprivate_key_env = \"" + key + "\"\n");
    EXPECT_THAT(message, HasSubstr("keeper.toml:7: signer.private_key_env: expected the name of an environment "
                                   "variable"));
    EXPECT_THAT(message, Not(HasSubstr("ac0974bec39a17e3")));
}

// Without 0x and starting with a-f, a key is also a valid-looking variable
// name: it passed, and came back quoted in "environment variable ... is not set".
TEST(ConfigErrors, ABareHexKeyInPrivateKeyEnvIsRejectedWithoutEchoingIt) {
    const std::string key = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
    const std::string message = error_of(kMinimal + "[signer]\nprivate_key_env = \"" + key + "\"\n");
    EXPECT_THAT(message, HasSubstr("keeper.toml:7: signer.private_key_env: expected the name of an environment "
                                   "variable, got what looks like a private key"));
    EXPECT_THAT(message, Not(HasSubstr("ac0974bec39a17e3")));
    EXPECT_THAT(message, Not(HasSubstr("bf4f2ff8")));
}

TEST(ConfigErrors, AnUnquotedPrivateKeyInASyntaxErrorIsRedacted) {
    const std::string message = error_of(
        "[signer]\nprivate_key_env = 0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80\n");
    EXPECT_THAT(message, ::testing::StartsWith("keeper.toml:2:"));
    EXPECT_THAT(message, HasSubstr("0x<64 hex digits>"));
    EXPECT_THAT(message, Not(HasSubstr("ac0974bec39a17e3")));
}

// RPC and webhook URLs carry API keys and tokens: a rejected one is described,
// never quoted.
TEST(ConfigErrors, RejectedUrlsAreNotEchoed) {
    const std::string rpc_error = error_of("[chain]\nrpc = \"mainnet.example/v3/SECRETKEY\"\n" + kMinimalProtocol);
    EXPECT_EQ(rpc_error, "keeper.toml:2: chain.rpc: expected an http:// or https:// URL, got a value without a scheme");
    const std::string hook_error = error_of(kMinimal + "[alerts]\nwebhook_url = \"hxxps://hooks/T/B/SECRETTOKEN\"\n");
    EXPECT_THAT(hook_error, HasSubstr("keeper.toml:7: alerts.webhook_url: expected an http:// or https:// URL"));
    EXPECT_THAT(rpc_error + hook_error, Not(HasSubstr("SECRET")));
}

}  // namespace config_errors_test
