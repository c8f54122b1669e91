// The signing key from an environment variable or a keystore; the key's text
// never appears in an error.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <unistd.h>

#include "chain/signer.hpp"
#include "keeper/config/signer_loader.hpp"

using namespace keeper;
using namespace keeper::config;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

// anvil's first dev account.
constexpr const char* kDevKey = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
constexpr const char* kDevAddress = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";

Getenv environment(std::map<std::string, std::string> variables) {
    return [variables = std::move(variables)](const std::string& name) -> std::optional<std::string> {
        auto it = variables.find(name);
        if (it == variables.end()) return std::nullopt;
        return it->second;
    };
}

SignerSettings from_env(const std::string& name) {
    SignerSettings signer;
    signer.private_key_env = name;
    return signer;
}

// The Web3 Secret Storage pbkdf2 test vector (password "testpassword").
constexpr const char* kKeystoreJson = R"({
  "crypto": {
    "cipher": "aes-128-ctr",
    "cipherparams": {"iv": "6087dab2f9fdbbfaddc31a909735c1e6"},
    "ciphertext": "5318b4d5bcd28de64ee5559e671353e16f075ecae9f99c7a79a38af5f869aa46",
    "kdf": "pbkdf2",
    "kdfparams": {"c": 262144, "dklen": 32, "prf": "hmac-sha256",
                  "salt": "ae3cd4e7013836a3df6bd7241b12db061dbe2c6785853cce422d148a624ce0bd"},
    "mac": "517ead924a9d0dc3124507e3393d175ce3ff7c1e96529c6c555ce9e51205e9b2"
  },
  "id": "3198bc9c-6672-5ab3-d995-4942343ae5b6",
  "version": 3
})";
constexpr const char* kKeystoreAddress = "0x008AeEda4D805471dF9b2A5B0f38A0C3bCBA786b";

class KeystoreFiles : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = std::filesystem::path(::testing::TempDir()) /
               ("keeper-signer-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::create_directories(dir_);
        write("keystore.json", kKeystoreJson);
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    std::filesystem::path write(const std::string& name, const std::string& text) {
        const auto path = dir_ / name;
        std::ofstream(path, std::ios::binary) << text;
        return path;
    }
    SignerSettings keystore_with_password(const std::string& password_text) {
        SignerSettings signer;
        signer.keystore = dir_ / "keystore.json";
        signer.password_file = write("password", password_text);
        return signer;
    }

    std::filesystem::path dir_;
};

}  // namespace

TEST(LoadSigner, ReadsTheKeyFromTheNamedEnvironmentVariable) {
    auto key = load_signer(from_env("KEEPER_PRIVATE_KEY"), environment({{"KEEPER_PRIVATE_KEY", kDevKey}}));
    ASSERT_TRUE(key.has_value()) << key.error().message;
    EXPECT_EQ(chain::address_of(*key).checksummed(), kDevAddress);
}

TEST(LoadSigner, ToleratesNoPrefixAndATrailingNewline) {
    auto key = load_signer(from_env("K"), environment({{"K", std::string(kDevKey + 2) + "\n"}}));
    ASSERT_TRUE(key.has_value()) << key.error().message;
    EXPECT_EQ(chain::address_of(*key).checksummed(), kDevAddress);
}

TEST(LoadSigner, AMissingVariableIsNamed) {
    auto key = load_signer(from_env("KEEPER_PRIVATE_KEY"), environment({}));
    ASSERT_FALSE(key.has_value());
    EXPECT_EQ(key.error().message, "signer: environment variable KEEPER_PRIVATE_KEY is not set");
}

TEST(LoadSigner, AnEmptyVariableIsNamed) {
    auto key = load_signer(from_env("KEEPER_PRIVATE_KEY"), environment({{"KEEPER_PRIVATE_KEY", ""}}));
    ASSERT_FALSE(key.has_value());
    EXPECT_EQ(key.error().message, "signer: environment variable KEEPER_PRIVATE_KEY is empty");
}

TEST(LoadSigner, AMalformedKeyIsRejectedWithoutItsText) {
    // One digit short, and one non-hex digit: both must stay out of the message.
    const std::string short_key = std::string(kDevKey).substr(0, 65);
    const std::string non_hex = std::string(kDevKey).substr(0, 65) + "g";
    for (const std::string& text : {short_key, non_hex}) {
        auto key = load_signer(from_env("KEEPER_PRIVATE_KEY"), environment({{"KEEPER_PRIVATE_KEY", text}}));
        ASSERT_FALSE(key.has_value());
        EXPECT_THAT(key.error().message,
                    HasSubstr("signer: environment variable KEEPER_PRIVATE_KEY does not hold a private key: "));
        EXPECT_THAT(key.error().message, Not(HasSubstr("ac0974bec39a17e3")));
        EXPECT_THAT(key.error().message, Not(HasSubstr("bf4f2ff8")));
    }
}

TEST(LoadSigner, NothingConfiguredIsAnError) {
    auto key = load_signer(SignerSettings{}, environment({{"KEEPER_PRIVATE_KEY", kDevKey}}));
    ASSERT_FALSE(key.has_value());
    EXPECT_THAT(key.error().message, HasSubstr("signer: no signer configured"));
}

TEST_F(KeystoreFiles, DecryptsWithThePasswordFileMinusItsTrailingNewline) {
    auto key = load_signer(keystore_with_password("testpassword\n"), environment({}));
    ASSERT_TRUE(key.has_value()) << key.error().message;
    EXPECT_EQ(chain::address_of(*key).checksummed(), kKeystoreAddress);
}

TEST_F(KeystoreFiles, AWrongPasswordNamesTheKeystore) {
    SignerSettings signer = keystore_with_password("testpassword!\n");
    auto key = load_signer(signer, environment({}));
    ASSERT_FALSE(key.has_value());
    EXPECT_EQ(key.error().message,
              "signer: keystore '" + signer.keystore->string() + "': keystore: MAC mismatch (wrong password?)");
}

TEST_F(KeystoreFiles, AMissingPasswordFileIsNamed) {
    SignerSettings signer = keystore_with_password("x");
    signer.password_file = dir_ / "no-such-password";
    auto key = load_signer(signer, environment({}));
    ASSERT_FALSE(key.has_value());
    EXPECT_THAT(key.error().message,
                HasSubstr("signer: cannot read password file '" + signer.password_file->string() + "'"));
}

TEST_F(KeystoreFiles, AMissingKeystoreIsNamed) {
    SignerSettings signer = keystore_with_password("testpassword");
    signer.keystore = dir_ / "no-such-keystore.json";
    auto key = load_signer(signer, environment({}));
    ASSERT_FALSE(key.has_value());
    EXPECT_THAT(key.error().message, HasSubstr("signer: cannot read keystore '" + signer.keystore->string() + "'"));
}
