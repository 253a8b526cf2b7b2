import Foundation
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    JSONTarget.run(FuzzInput(data, size))
    return 0
}

// SwiftPM gives every executable a Swift `main`, so libFuzzer's own is not linked: start its driver.
exit(runFuzzer(fuzzOneInput))
