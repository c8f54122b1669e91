// The signing key from an environment variable or a keystore; the key's text
// never appears in an error.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <vector>

#include "chain/signer.hpp"
#include "keeper/config/signer_loader.hpp"

using namespace keeper;
using namespace keeper::config;
using ::testing::HasSubstr;
using ::testing::Not;

namespace signer_loader_test {

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

// For tests about what is read, not what is erased.
const EraseEnv keep_env = [](const std::string&) {};

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

    // Private to its owner unless the test says otherwise, as an operator
    // following the README would leave it.
    std::filesystem::path write(const std::string& name, const std::string& text, mode_t mode = 0600) {
        const auto path = dir_ / name;
        std::ofstream(path, std::ios::binary) << text;
        EXPECT_EQ(::chmod(path.c_str(), mode), 0);
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

TEST(LoadSigner, ReadsTheKeyFromTheNamedEnvironmentVariable) {
    auto key = load_signer(from_env("KEEPER_PRIVATE_KEY"), environment({{"KEEPER_PRIVATE_KEY", kDevKey}}), keep_env);
    ASSERT_TRUE(key.has_value()) << key.error().message;
    EXPECT_EQ(chain::address_of(*key).checksummed(), kDevAddress);
}

TEST(LoadSigner, ToleratesNoPrefixAndATrailingNewline) {
    auto key = load_signer(from_env("K"), environment({{"K", std::string(kDevKey + 2) + "\n"}}), keep_env);
    ASSERT_TRUE(key.has_value()) << key.error().message;
    EXPECT_EQ(chain::address_of(*key).checksummed(), kDevAddress);
}

TEST(LoadSigner, AMissingVariableIsNamed) {
    auto key = load_signer(from_env("KEEPER_PRIVATE_KEY"), environment({}), keep_env);
    ASSERT_FALSE(key.has_value());
    EXPECT_EQ(key.error().message, "signer: environment variable KEEPER_PRIVATE_KEY is not set");
}

TEST(LoadSigner, AnEmptyVariableIsNamed) {
    auto key = load_signer(from_env("KEEPER_PRIVATE_KEY"), environment({{"KEEPER_PRIVATE_KEY", ""}}), keep_env);
    ASSERT_FALSE(key.has_value());
    EXPECT_EQ(key.error().message, "signer: environment variable KEEPER_PRIVATE_KEY is empty");
}

TEST(LoadSigner, AMalformedKeyIsRejectedWithoutItsText) {
    // One digit short, and one non-hex digit: both must stay out of the message.
    const std::string short_key = std::string(kDevKey).substr(0, 65);
    const std::string non_hex = std::string(kDevKey).substr(0, 65) + "g";
    for (const std::string& text : {short_key, non_hex}) {
        auto key = load_signer(from_env("KEEPER_PRIVATE_KEY"), environment({{"KEEPER_PRIVATE_KEY", text}}), keep_env);
        ASSERT_FALSE(key.has_value());
        EXPECT_THAT(key.error().message,
                    HasSubstr("signer: environment variable KEEPER_PRIVATE_KEY does not hold a private key: "));
        EXPECT_THAT(key.error().message, Not(HasSubstr("ac0974bec39a17e3")));
        EXPECT_THAT(key.error().message, Not(HasSubstr("bf4f2ff8")));
    }
}

TEST(LoadSigner, NothingConfiguredIsAnError) {
    auto key = load_signer(SignerSettings{}, environment({{"KEEPER_PRIVATE_KEY", kDevKey}}), keep_env);
    ASSERT_FALSE(key.has_value());
    EXPECT_THAT(key.error().message, HasSubstr("signer: no signer configured"));
}

TEST_F(KeystoreFiles, DecryptsWithThePasswordFileMinusItsTrailingNewline) {
    auto key = load_signer(keystore_with_password("testpassword\n"), environment({}), keep_env);
    ASSERT_TRUE(key.has_value()) << key.error().message;
    EXPECT_EQ(chain::address_of(*key).checksummed(), kKeystoreAddress);
}

TEST_F(KeystoreFiles, AWrongPasswordNamesTheKeystore) {
    SignerSettings signer = keystore_with_password("testpassword!\n");
    auto key = load_signer(signer, environment({}), keep_env);
    ASSERT_FALSE(key.has_value());
    EXPECT_EQ(key.error().message,
              "signer: keystore '" + signer.keystore->string() + "': keystore: MAC mismatch (wrong password?)");
}

TEST_F(KeystoreFiles, AMissingPasswordFileIsNamed) {
    SignerSettings signer = keystore_with_password("x");
    signer.password_file = dir_ / "no-such-password";
    auto key = load_signer(signer, environment({}), keep_env);
    ASSERT_FALSE(key.has_value());
    EXPECT_THAT(key.error().message,
                HasSubstr("signer: cannot read password file '" + signer.password_file->string() + "'"));
}

TEST_F(KeystoreFiles, AMissingKeystoreIsNamed) {
    SignerSettings signer = keystore_with_password("testpassword");
    signer.keystore = dir_ / "no-such-keystore.json";
    auto key = load_signer(signer, environment({}), keep_env);
    ASSERT_FALSE(key.has_value());
    EXPECT_THAT(key.error().message, HasSubstr("signer: cannot read keystore '" + signer.keystore->string() + "'"));
}

// ---- Secrets hygiene (issue #16, item 10) ----

// Records what load_signer erased.
struct ErasedNames {
    std::vector<std::string> names;
    EraseEnv eraser() {
        return [this](const std::string& name) { names.push_back(name); };
    }
};

TEST(LoadSigner, TheVariableIsErasedOnceRead) {
    ErasedNames erased;
    auto key = load_signer(from_env("KEEPER_PRIVATE_KEY"), environment({{"KEEPER_PRIVATE_KEY", kDevKey}}),
                           erased.eraser());
    ASSERT_TRUE(key.has_value()) << key.error().message;
    EXPECT_EQ(erased.names, std::vector<std::string>{"KEEPER_PRIVATE_KEY"});
}

TEST(LoadSigner, TheVariableIsErasedEvenWhenItHoldsNoValidKey) {
    ErasedNames erased;
    auto key = load_signer(from_env("KEEPER_PRIVATE_KEY"),
                           environment({{"KEEPER_PRIVATE_KEY", std::string(kDevKey).substr(0, 65)}}), erased.eraser());
    ASSERT_FALSE(key.has_value());
    EXPECT_EQ(erased.names, std::vector<std::string>{"KEEPER_PRIVATE_KEY"});
}

// The real process: after loading, the variable is gone from the environment
// (so a child, e.g. the anvil of --fork, cannot inherit it) and its text is
// overwritten where it was.
TEST(LoadSigner, TheProcessEnvironmentLosesTheKeyAndChildrenNeverSeeIt) {
    ASSERT_EQ(::setenv("KEEPER_UNIT_TEST_KEY", kDevKey, 1), 0);
    const char* stored = std::getenv("KEEPER_UNIT_TEST_KEY");
    ASSERT_NE(stored, nullptr);
    auto key = load_signer(from_env("KEEPER_UNIT_TEST_KEY"), process_getenv, erase_process_env);
    ASSERT_TRUE(key.has_value()) << key.error().message;
    EXPECT_EQ(chain::address_of(*key).checksummed(), kDevAddress);

    EXPECT_EQ(std::getenv("KEEPER_UNIT_TEST_KEY"), nullptr);
    EXPECT_EQ(std::string_view(stored, 16).find("ac0974"), std::string_view::npos);

    FILE* child = ::popen("printenv KEEPER_UNIT_TEST_KEY; echo child-done", "r");
    ASSERT_NE(child, nullptr);
    std::string seen;
    char buffer[256];
    while (std::fgets(buffer, sizeof buffer, child) != nullptr) seen += buffer;
    ::pclose(child);
    EXPECT_EQ(seen, "child-done\n");
}

// A key written where the variable's NAME belongs is refused without being
// quoted, also when it starts with a-f (which passes as a variable name).
TEST(LoadSigner, AKeyWrittenAsTheVariableNameIsRefusedWithoutEchoingIt) {
    const std::string bare = std::string(kDevKey).substr(2);  // "ac0974...": letters first
    for (const std::string& text : {bare, std::string(kDevKey)}) {
        ErasedNames erased;
        auto key = load_signer(from_env(text), environment({{text, kDevKey}}), erased.eraser());
        ASSERT_FALSE(key.has_value()) << text.substr(0, 4);
        EXPECT_THAT(key.error().message, HasSubstr("looks like a private key"));
        EXPECT_THAT(key.error().message, Not(HasSubstr("ac0974bec39a17e3")));
        EXPECT_THAT(key.error().message, Not(HasSubstr("bf4f2ff8")));
    }
}

TEST_F(KeystoreFiles, AFileOwnerOnlyReadablePasses) {
    SignerSettings signer = keystore_with_password("testpassword\n");
    ASSERT_EQ(::chmod(signer.password_file->c_str(), 0400), 0);
    ASSERT_EQ(::chmod(signer.keystore->c_str(), 0400), 0);
    auto key = load_signer(signer, environment({}), keep_env);
    ASSERT_TRUE(key.has_value()) << key.error().message;
    EXPECT_EQ(chain::address_of(*key).checksummed(), kKeystoreAddress);
}

TEST_F(KeystoreFiles, APasswordFileOthersCanReadIsRefusedWithTheFix) {
    SignerSettings signer = keystore_with_password("testpassword\n");
    ASSERT_EQ(::chmod(signer.password_file->c_str(), 0644), 0);
    auto key = load_signer(signer, environment({}), keep_env);
    ASSERT_FALSE(key.has_value());
    const std::string name = signer.password_file->string();
    EXPECT_EQ(key.error().message, "signer: password file '" + name + "' is open to group or others (mode 0644): run "
                                   "chmod 600 '" + name + "' (or use systemd's LoadCredential=); a secret others "
                                   "can read is refused");
    EXPECT_THAT(key.error().message, Not(HasSubstr("testpassword")));
}

TEST_F(KeystoreFiles, AKeystoreTheGroupCanReadOrWriteIsRefused) {
    for (const mode_t mode : {mode_t{0640}, mode_t{0620}, mode_t{0604}, mode_t{0602}}) {
        SignerSettings signer = keystore_with_password("testpassword\n");
        ASSERT_EQ(::chmod(signer.keystore->c_str(), mode), 0);
        auto key = load_signer(signer, environment({}), keep_env);
        ASSERT_FALSE(key.has_value()) << std::oct << mode;
        EXPECT_THAT(key.error().message, HasSubstr("signer: keystore '" + signer.keystore->string() +
                                                   "' is open to group or others"));
        EXPECT_THAT(key.error().message, HasSubstr("chmod 600"));
    }
}

// systemd's LoadCredential= files are 0400 plus, on tmpfs, an ACL for the
// service's user that stat shows as group bits (0440): systemd keeps that
// directory private to the service, so its files pass; the same file
// elsewhere does not.
TEST_F(KeystoreFiles, FilesInSystemdsCredentialsDirectoryPass) {
    const auto credentials = dir_ / "credentials";
    std::filesystem::create_directories(credentials);
    SignerSettings signer;
    signer.keystore = credentials / "keystore.json";
    signer.password_file = credentials / "password";
    std::ofstream(*signer.keystore) << kKeystoreJson;
    std::ofstream(*signer.password_file) << "testpassword\n";
    ASSERT_EQ(::chmod(signer.keystore->c_str(), 0440), 0);
    ASSERT_EQ(::chmod(signer.password_file->c_str(), 0440), 0);

    auto key = load_signer(signer, environment({{"CREDENTIALS_DIRECTORY", credentials.string()}}), keep_env);
    ASSERT_TRUE(key.has_value()) << key.error().message;
    EXPECT_EQ(chain::address_of(*key).checksummed(), kKeystoreAddress);

    auto outside = load_signer(signer, environment({{"CREDENTIALS_DIRECTORY", (dir_ / "other").string()}}), keep_env);
    ASSERT_FALSE(outside.has_value());
    EXPECT_THAT(outside.error().message, HasSubstr("is open to group or others (mode 0440)"));
    auto unset = load_signer(signer, environment({}), keep_env);
    ASSERT_FALSE(unset.has_value());
}

}  // namespace signer_loader_test
