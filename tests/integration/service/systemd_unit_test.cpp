// systemd/margin-keeper.service as systemd itself reads it: `systemd-analyze
// verify` finds nothing to say (no unknown key, no bad value, an executable
// ExecStart), and the file asks for what the keeper implements: Type=notify,
// a watchdog, the hardening the issue lists, credentials for key and password.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace systemd_unit_test {

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

struct Verified {
    int exit_code = -1;
    std::string output;  // stdout and stderr
};

// The unit as installed, with ExecStart pointing at the binary just built
// (verify checks that the command is executable).
Verified verify(const std::string& unit_text) {
    const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                      ("keeper-unit-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::filesystem::path unit = dir / "margin-keeper.service";
    std::ofstream(unit) << unit_text;
    Verified result;
    const std::string command = "systemd-analyze verify '" + unit.string() + "' 2>&1";
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) return result;
    std::array<char, 512> buffer{};
    while (std::fgets(buffer.data(), static_cast<int>(buffer.size()), pipe) != nullptr) result.output += buffer.data();
    const int status = ::pclose(pipe);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::filesystem::remove_all(dir);
    return result;
}

std::string installed_unit() {
    std::string text = read_file(KEEPER_UNIT_FILE);
    const std::string installed = "/usr/local/bin/margin-keeper";
    for (auto at = text.find(installed); at != std::string::npos; at = text.find(installed, at))
        text.replace(at, installed.size(), KEEPER_BINARY), at += std::string(KEEPER_BINARY).size();
    return text;
}

bool has_line(const std::string& text, const std::string& line) {
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);)
        if (l == line) return true;
    return false;
}

TEST(SystemdUnitTest, SystemdAnalyzeVerifyFindsNothingToSay) {
    const Verified verified = verify(installed_unit());
    EXPECT_EQ(verified.exit_code, 0) << verified.output;
    EXPECT_EQ(verified.output, "");
}

TEST(SystemdUnitTest, VerifySpeaksUpAboutAnUnknownKey) {
    // The check above can fail: systemd-analyze reports what it ignores.
    const Verified verified = verify(installed_unit() + "[Service]\nWatchdogSecs=5\n");
    EXPECT_NE(verified.output.find("Unknown key"), std::string::npos) << verified.output;
    EXPECT_NE(verified.output.find("WatchdogSecs"), std::string::npos) << verified.output;
}

TEST(SystemdUnitTest, AsksForNotifyWatchdogHardeningAndCredentials) {
    const std::string unit = read_file(KEEPER_UNIT_FILE);
    for (const char* line : {
             "Type=notify",
             "NotifyAccess=main",
             "WatchdogSec=120",
             "CapabilityBoundingSet=",
             "SystemCallFilter=@system-service",
             "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX",
             "MemoryDenyWriteExecute=yes",
             "NoNewPrivileges=yes",
             "LoadCredential=keystore.json:/etc/margin-keeper/keystore.json",
             "LoadCredential=keystore-password:/etc/margin-keeper/keystore-password",
         })
        EXPECT_TRUE(has_line(unit, line)) << "missing: " << line;
}

}  // namespace systemd_unit_test
