package idcheck

// Carrier names as Phone.Carrier reports them.
const (
	CarrierTelecom   = "telecom"   // China Telecom 中国电信
	CarrierMobile    = "mobile"    // China Mobile 中国移动
	CarrierUnicom    = "unicom"    // China Unicom 中国联通
	CarrierBroadnet  = "broadnet"  // China Broadnet 中国广电
	CarrierSatellite = "satellite" // maritime and satellite services
)

// allocation is one block of the MIIT numbering plan.
type allocation struct {
	carrier string
	virtual bool // assigned to mobile virtual network operators (虚拟运营商)
}

// allocations maps prefixes of three to five digits to the operator that
// received them, as of the March 2023 allocation list. Lookup takes the
// longest prefix, so 1349 (satellite) overrides 134 (mobile, 1340–1348).
// Number portability (2019) means the operator here is the one that was
// allocated the block, not necessarily the subscriber's today.
var allocations = map[string]allocation{
	// China Telecom.
	"133": {CarrierTelecom, false}, "149": {CarrierTelecom, false}, "153": {CarrierTelecom, false},
	"162": {CarrierTelecom, true}, "1700": {CarrierTelecom, true}, "1701": {CarrierTelecom, true},
	"1702": {CarrierTelecom, true}, "173": {CarrierTelecom, false}, "177": {CarrierTelecom, false},
	"180": {CarrierTelecom, false}, "181": {CarrierTelecom, false}, "189": {CarrierTelecom, false},
	"190": {CarrierTelecom, false}, "191": {CarrierTelecom, false}, "193": {CarrierTelecom, false},
	"199": {CarrierTelecom, false},

	// China Mobile.
	"134": {CarrierMobile, false}, "135": {CarrierMobile, false}, "136": {CarrierMobile, false},
	"137": {CarrierMobile, false}, "138": {CarrierMobile, false}, "139": {CarrierMobile, false},
	"147": {CarrierMobile, false}, "148": {CarrierMobile, false}, "150": {CarrierMobile, false},
	"151": {CarrierMobile, false}, "152": {CarrierMobile, false}, "157": {CarrierMobile, false},
	"158": {CarrierMobile, false}, "159": {CarrierMobile, false}, "165": {CarrierMobile, true},
	"1703": {CarrierMobile, true}, "1705": {CarrierMobile, true}, "1706": {CarrierMobile, true},
	"172": {CarrierMobile, false}, "178": {CarrierMobile, false}, "182": {CarrierMobile, false},
	"183": {CarrierMobile, false}, "184": {CarrierMobile, false}, "187": {CarrierMobile, false},
	"188": {CarrierMobile, false}, "195": {CarrierMobile, false}, "197": {CarrierMobile, false},
	"198": {CarrierMobile, false},

	// China Unicom.
	"130": {CarrierUnicom, false}, "131": {CarrierUnicom, false}, "132": {CarrierUnicom, false},
	"145": {CarrierUnicom, false}, "146": {CarrierUnicom, false}, "155": {CarrierUnicom, false},
	"156": {CarrierUnicom, false}, "166": {CarrierUnicom, false}, "167": {CarrierUnicom, true},
	"1704": {CarrierUnicom, true}, "1707": {CarrierUnicom, true}, "1708": {CarrierUnicom, true},
	"1709": {CarrierUnicom, true}, "171": {CarrierUnicom, true}, "175": {CarrierUnicom, false},
	"176": {CarrierUnicom, false}, "185": {CarrierUnicom, false}, "186": {CarrierUnicom, false},
	"196": {CarrierUnicom, false},

	// China Broadnet.
	"192": {CarrierBroadnet, false},

	// Satellite and maritime.
	"1349": {CarrierSatellite, false}, "174": {CarrierSatellite, false}, "1619": {CarrierSatellite, false},
}

// lookupAllocation finds the longest allocated prefix of an 11-digit number.
func lookupAllocation(n string) (allocation, bool) {
	for l := 5; l >= 3; l-- {
		if a, ok := allocations[n[:l]]; ok {
			return a, true
		}
	}
	return allocation{}, false
}
