// ECharts，只注册统计报表用到的部分（条形图、坐标轴、提示、标题、Canvas）；由报表页按需加载。
import { use } from 'echarts/core'
import { BarChart } from 'echarts/charts'
import { GridComponent, TitleComponent, TooltipComponent } from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'
import VChart from 'vue-echarts'

use([BarChart, GridComponent, TooltipComponent, TitleComponent, CanvasRenderer])

export default VChart
