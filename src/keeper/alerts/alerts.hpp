#pragma once
// Operator alerts in one include: the policy that decides, the bodies, the sender.
#include "keeper/alerts/alert.hpp"
#include "keeper/alerts/alert_policy.hpp"
#include "keeper/alerts/webhook_body.hpp"
#include "keeper/alerts/webhook_sender.hpp"
#include "keeper/alerts/webhook_url.hpp"
