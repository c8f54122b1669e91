#include "oracles/price_update.hpp"

namespace keeper::oracles {

std::optional<U256> ScaledAnswer::to_wad() const {
    if (!positive()) return std::nullopt;
    if (decimals <= 18) return checked_mul(answer.twos, U256::pow10(18U - decimals));
    if (decimals - 18U > 77U) return std::nullopt;      // 10^78 > 2^256: nothing of the answer is left
    return answer.twos / U256::pow10(decimals - 18U);  // finer than a wad: rounded down
}

std::string ScaledAnswer::text() const {
    std::string digits = answer.magnitude().to_dec();
    if (decimals > 0) {
        if (digits.size() <= decimals) digits.insert(0, decimals + 1 - digits.size(), '0');
        digits.insert(digits.size() - decimals, ".");
    }
    return answer.is_negative() ? "-" + digits : digits;
}

std::string_view to_string(PriceSource source) {
    switch (source) {
        case PriceSource::chainlink_answer_updated: return "chainlink AnswerUpdated";
        case PriceSource::chainlink_ocr1_transmission: return "chainlink OCR1 NewTransmission";
        case PriceSource::chainlink_ocr2_transmission: return "chainlink OCR2 NewTransmission";
        case PriceSource::chainlink_latest_round: return "chainlink latestRoundData";
        case PriceSource::chainlink_ocr2_pending:
            return "pending chainlink OCR2 transmit";
        case PriceSource::pyth_price_feed_update:
            return "pyth PriceFeedUpdate";
        case PriceSource::pyth_get_price:
            return "pyth getPriceUnsafe";
        case PriceSource::binance_book_ticker:
            return "binance bookTicker";
    }
    return "unknown";
}

}  // namespace keeper::oracles
