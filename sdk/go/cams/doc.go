// Registers WhatsApp Business phone numbers through Alibaba Cloud Chat App Message Service (CAMS).
package cams
