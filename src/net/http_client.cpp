#include "net/http_client.hpp"

#include <functional>
#include <mutex>

#include <curl/curl.h>

#include "net/printable_excerpt.hpp"
#include "net/url_redaction.hpp"

namespace keeper::net {
namespace {

// curl_global_init must run once before any handle exists and is not
// thread-safe itself in every libcurl build.
void global_init_once() {
    static std::once_flag flag;
    std::call_once(flag, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Sink {
    std::string* body;
    std::size_t limit;
    bool overflowed = false;
};

extern "C" std::size_t write_body(char* data, std::size_t size, std::size_t count, void* user) {
    auto* sink = static_cast<Sink*>(user);
    const std::size_t n = size * count;
    if (sink->body->size() + n > sink->limit) {
        sink->overflowed = true;
        return 0;  // makes curl stop with CURLE_WRITE_ERROR
    }
    sink->body->append(data, n);
    return n;
}

// CURLOPT_XFERINFOFUNCTION: a non-zero return aborts the transfer
// (CURLE_ABORTED_BY_CALLBACK). libcurl calls it while waiting, too.
extern "C" int check_cancelled(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    const auto* cancelled = static_cast<const std::function<bool()>*>(user);
    return (*cancelled)() ? 1 : 0;
}

std::string_view stage_of(CURLcode code) {
    switch (code) {
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_RESOLVE_PROXY:
            return "resolve";
        case CURLE_COULDNT_CONNECT:
            return "connect";
        case CURLE_OPERATION_TIMEDOUT:
            return "timeout";
        case CURLE_SSL_CONNECT_ERROR:
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_SSL_CERTPROBLEM:
        case CURLE_SSL_CIPHER:
        case CURLE_SSL_CACERT_BADFILE:
            return "tls";
        case CURLE_SEND_ERROR:
            return "send";
        case CURLE_ABORTED_BY_CALLBACK:
            return "cancelled";
        case CURLE_URL_MALFORMAT:
        case CURLE_UNSUPPORTED_PROTOCOL:
            return "url";
        default:
            return "receive";
    }
}

}  // namespace

struct HttpClient::Handle {
    CURL* curl = nullptr;
    curl_slist* headers = nullptr;
    char error_buffer[CURL_ERROR_SIZE] = {};
    // Here, not in HttpClient: the handle stays put when a client is moved,
    // so libcurl's pointer to it stays valid.
    std::function<bool()> cancelled;

    ~Handle() {
        if (headers != nullptr) curl_slist_free_all(headers);
        if (curl != nullptr) curl_easy_cleanup(curl);
    }
};

HttpClient::HttpClient(std::string url, HttpOptions options)
    : url_(std::move(url)), options_(std::move(options)), handle_(std::make_unique<Handle>()) {
    global_init_once();
    handle_->curl = curl_easy_init();
    if (handle_->curl == nullptr) return;  // post() reports it
    CURL* c = handle_->curl;
    const std::string content_type = "Content-Type: " + options_.content_type;
    handle_->headers = curl_slist_append(handle_->headers, content_type.c_str());
    // No "Expect: 100-continue" round trip before large bodies.
    handle_->headers = curl_slist_append(handle_->headers, "Expect:");
    curl_easy_setopt(c, CURLOPT_URL, url_.c_str());
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, handle_->headers);
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // timeouts without SIGALRM: safe with threads
    curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(c, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout.count()));
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.total_timeout.count()));
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);  // DESIGN rule 7: verify TLS hostnames
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);  // a node that redirects a POST is misconfigured
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, handle_->error_buffer);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, write_body);
    if (options_.cancelled) {
        handle_->cancelled = options_.cancelled;
        curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, check_cancelled);
        curl_easy_setopt(c, CURLOPT_XFERINFODATA, &handle_->cancelled);
        curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    }
}

HttpClient::~HttpClient() = default;
HttpClient::HttpClient(HttpClient&&) noexcept = default;
HttpClient& HttpClient::operator=(HttpClient&&) noexcept = default;

Result<HttpResponse> HttpClient::post(std::string_view body) { return post(body, {}); }

Result<HttpResponse> HttpClient::post(std::string_view body, std::span<const std::string> extra_headers) {
    // Errors name the URL as redact_url shows it; libcurl's own text may quote
    // the URL or its pieces, so it is scrubbed too.
    const auto error = [&](const std::string& detail) {
        return fail("http " + redact_url(url_) + ": " + scrub_url(detail, url_));
    };
    if (!handle_ || handle_->curl == nullptr) return error("init: curl_easy_init failed");
    if (options_.cancelled && options_.cancelled()) return error("cancelled: before sending");
    CURL* c = handle_->curl;
    // Per-request headers: the handle's own list plus the extras, for this call only.
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> request_headers(nullptr, curl_slist_free_all);
    if (!extra_headers.empty()) {
        curl_slist* list = nullptr;
        for (const curl_slist* h = handle_->headers; h != nullptr; h = h->next) list = curl_slist_append(list, h->data);
        for (const std::string& h : extra_headers) list = curl_slist_append(list, h.c_str());
        request_headers.reset(list);
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
    }
    HttpResponse response;
    Sink sink{&response.body, options_.max_response_bytes};
    handle_->error_buffer[0] = '\0';
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
    const CURLcode code = curl_easy_perform(c);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, nullptr);  // `body` dies with this call
    if (request_headers) curl_easy_setopt(c, CURLOPT_HTTPHEADER, handle_->headers);
    if (sink.overflowed)
        return error("response too large: more than " + std::to_string(sink.limit) + " bytes");
    if (code != CURLE_OK) {
        std::string detail = handle_->error_buffer[0] != '\0' ? handle_->error_buffer : curl_easy_strerror(code);
        return error(std::string(stage_of(code)) + ": " + detail);
    }
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response.status);
    return response;
}

Result<std::string> body_if_ok(HttpResponse response) {
    if (response.ok()) return std::move(response.body);
    return fail("HTTP status " + std::to_string(response.status) + ": " + printable_excerpt(response.body, 200));
}

}  // namespace keeper::net
